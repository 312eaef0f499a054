package io.mamos.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.agent.execution.CommandLedger.Key;
import io.mamos.workflows.CommandResult;
import org.junit.jupiter.api.Test;

class CommandLedgerTest {

    private final CommandLedger ledger = new CommandLedger(2, 3);

    @Test
    void aRunningCommandIsKnownByItsWorkflowAndAttempt() {
        CommandLedger.Entry entry = ledger.accept(new Key("job-1", 1)).orElseThrow();

        assertThat(ledger.lookup(new Key("job-1", 1))).isEqualTo(new CommandLedger.Known(entry));
        assertThat(ledger.lookup(new Key("job-1", 2))).isInstanceOf(CommandLedger.Unknown.class);
        assertThat(ledger.lookup(new Key("job-2", 1))).isInstanceOf(CommandLedger.Unknown.class);
    }

    @Test
    void withoutAnAttemptTheWorkflowsLatestIsMeant() {
        ledger.accept(new Key("job-1", 1)).orElseThrow();
        CommandLedger.Entry second = ledger.accept(new Key("job-1", 2)).orElseThrow();

        assertThat(ledger.lookup(new Key("job-1", 0))).isEqualTo(new CommandLedger.Known(second));
    }

    @Test
    void anEndedCommandPushedOutOfTheLedgerLeavesATombstoneWithHowItEndedButNoOutput() {
        ended("job-1", 1, 3);
        ended("job-2", 1, 0);
        ended("job-3", 1, 0);
        ledger.accept(new Key("job-4", 1)).orElseThrow(); // makes room: job-1 is buried

        CommandLedger.Lookup lookup = ledger.lookup(new Key("job-1", 1));

        assertThat(lookup).isInstanceOfSatisfying(CommandLedger.Tombstone.class, tombstone -> {
            assertThat(tombstone.result().exitCode()).isEqualTo(3);
            assertThat(tombstone.result().stdout()).isEmpty();
            assertThat(tombstone.result().outputTruncated()).isTrue();
        });
    }

    @Test
    void aLedgerThatForgotTombstonesNoLongerVouchesForCommandsAcceptedBefore() throws InterruptedException {
        CommandLedger.Unknown before = (CommandLedger.Unknown) ledger.lookup(new Key("never", 1));
        assertThat(before.remembersForMillis()).isEqualTo(before.upForMillis());
        for (int i = 0; i < 6; i++) {
            ended("job-" + i, 1, 0);
        }
        Thread.sleep(20);
        ledger.accept(new Key("job-last", 1)).orElseThrow(); // buries past the three tombstones kept

        CommandLedger.Unknown after = (CommandLedger.Unknown) ledger.lookup(new Key("never", 2));

        assertThat(after.remembersForMillis()).isLessThan(after.upForMillis());
    }

    @Test
    void anAttemptAnsweredUnknownIsNotAcceptedAfterwards() {
        assertThat(ledger.lookup(new Key("job-1", 1))).isInstanceOf(CommandLedger.Unknown.class);

        assertThat(ledger.accept(new Key("job-1", 1))).isEmpty();
        assertThat(ledger.accept(new Key("job-1", 2))).isPresent();
    }

    private void ended(String workflowId, int attempt, int exitCode) {
        ledger.accept(new Key(workflowId, attempt)).orElseThrow()
                .ended(new CommandResult(exitCode, "out", "err", false, false, 1L, 2L));
    }
}
