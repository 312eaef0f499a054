package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The orchestrator's Temporal wiring as Temporal's Spring Boot integration builds it from
 * {@code spring.temporal.*}: the client on the configured target and namespace with the
 * orchestrator's identity, and one worker, on the orchestrator's queue, started.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemporalWiringTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-temporal-wiring-test");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
    }

    @Autowired
    WorkflowClient client;

    @Autowired
    WorkerFactory workers;

    @AfterAll
    void stopBackends() {
        BACKENDS.close();
    }

    @Test
    void clientAndWorkerComeFromTheStarterWithTheOrchestratorsSettings() {
        assertThat(client.getOptions().getIdentity()).startsWith("mamos-orchestrator@");
        assertThat(client.getOptions().getNamespace()).isEqualTo("default");
        assertThat(client.getWorkflowServiceStubs().getOptions().getTarget()).isEqualTo(BACKENDS.temporalTarget());
        assertThat(workers.getWorker(TaskQueues.ORCHESTRATOR)).as("the worker on %s", TaskQueues.ORCHESTRATOR)
                .isNotNull();
        assertThat(workers.isStarted()).isTrue();
    }
}
