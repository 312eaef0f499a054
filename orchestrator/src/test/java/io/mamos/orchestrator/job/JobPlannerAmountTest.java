package io.mamos.orchestrator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.orchestrator.web.InvalidRequestException;
import org.junit.jupiter.api.Test;

class JobPlannerAmountTest {

    @Test
    void countsAreTakenAsGiven() {
        assertThat(JobPlanner.amount("concurrency", 5, 100)).isEqualTo(5);
        assertThat(JobPlanner.amount("concurrency", "5", 100)).isEqualTo(5);
        assertThat(JobPlanner.amount("concurrency", 5.0, 100)).isEqualTo(5);
    }

    @Test
    void percentagesAreSharesOfTheTargetsRoundedUpAndAtLeastOne() {
        assertThat(JobPlanner.amount("concurrency", "20%", 1_000)).isEqualTo(200);
        assertThat(JobPlanner.amount("concurrency", "10%", 15)).isEqualTo(2);
        assertThat(JobPlanner.amount("maxFailures", "1%", 3)).isEqualTo(1);
        assertThat(JobPlanner.amount("concurrency", "100%", 7)).isEqualTo(7);
    }

    @Test
    void anythingElseIsRefusedNamingTheField() {
        for (Object bad : new Object[] {0, -1, 2.5, "0%", "101%", "abc", "5 %", "%", true}) {
            assertThatThrownBy(() -> JobPlanner.amount("maxFailures", bad, 10))
                    .as("%s", bad).isInstanceOf(InvalidRequestException.class).hasMessageContaining("maxFailures");
        }
    }
}
