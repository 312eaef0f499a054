package io.mamos.agent.simulate;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The floor's one activity; does nothing but answer, like a simulated agent's command. */
@ActivityInterface
public interface FloorActivities {

    @ActivityMethod(name = "MamosBenchmarkFloorEcho")
    String echo(String message);
}
