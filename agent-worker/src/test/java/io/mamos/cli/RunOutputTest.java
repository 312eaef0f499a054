package io.mamos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunOutputTest {

    @Test
    void progressPrintsOnlyTheBytesNotPrintedBefore() {
        RunOutput output = new RunOutput();

        assertThat(output.progress(6, "line1\n")).isEqualTo("line1\n");
        assertThat(output.progress(12, "line1\nline2\n")).isEqualTo("line2\n");
        assertThat(output.progress(12, "line1\nline2\n")).isEmpty();
    }

    @Test
    void outputThatScrolledOutOfTheTailIsSaidToBeSkipped() {
        RunOutput output = new RunOutput();
        output.progress(3, "ab\n");

        String fresh = output.progress(1003, "xyz\n");

        assertThat(fresh).isEqualTo("[… 996 bytes not shown …]\nxyz\n");
    }

    @Test
    void finishedRunWithNothingShownYetPrintsStdoutThenStderr() {
        assertThat(new RunOutput().finished("out\n", "err\n")).isEqualTo("out\nerr\n");
        assertThat(new RunOutput().finished("no newline", "err\n")).isEqualTo("no newline\nerr\n");
    }

    @Test
    void finishedRunPrintsOnlyWhatProgressDidNotShow() {
        RunOutput output = new RunOutput();
        output.progress(4, "one\n");

        assertThat(output.finished("one\ntwo\n", "")).isEqualTo("two\n");
        assertThat(output.finished("one\ntwo\n", "")).as("a second look prints nothing again").isEmpty();
    }

    @Test
    void multiByteCharactersAreCountedInBytes() {
        RunOutput output = new RunOutput();
        output.progress("é\n".getBytes(java.nio.charset.StandardCharsets.UTF_8).length, "é\n");

        assertThat(output.progress(6, "é\nü\n")).isEqualTo("ü\n");
    }
}
