package io.mamos.agent.simulate;

/** Answers at once, without spawning anything. */
final class FloorActivitiesImpl implements FloorActivities {

    @Override
    public String echo(String message) {
        return SimulatedCommandActivities.OUTPUT_PREFIX + message;
    }
}
