package io.mamos.orchestrator.e2e;

import io.mamos.workflows.JobState;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Job state names as the API reports them, taken from the workflows contract. */
final class JobStates {

    static final Set<String> TERMINAL = Arrays.stream(JobState.values())
            .filter(JobState::isTerminal)
            .map(JobState::name)
            .collect(Collectors.toUnmodifiableSet());

    /** The agent has the command: it is queued for the agent or already running there. */
    static final Set<String> HANDED_TO_AGENT = Set.of(JobState.DISPATCHED.name(), JobState.RUNNING.name());

    private JobStates() {
    }
}
