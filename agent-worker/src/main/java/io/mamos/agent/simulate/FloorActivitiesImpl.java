package io.mamos.agent.simulate;

import io.temporal.activity.Activity;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers at once, without spawning anything; counts the attempts after a first. */
final class FloorActivitiesImpl implements FloorActivities {

    private final AtomicInteger retries = new AtomicInteger();

    @Override
    public String echo(String message) {
        if (Activity.getExecutionContext().getInfo().getAttempt() > 1) {
            retries.incrementAndGet();
        }
        return SimulatedCommandActivities.OUTPUT_PREFIX + message;
    }

    int retries() {
        return retries.get();
    }
}
