package io.mamos.agent;

import picocli.CommandLine.IVersionProvider;

/** The agent's version, read from the jar manifest so it is set in one place: the pom. */
public final class AgentVersion implements IVersionProvider {

    /** The version the agent reports when enrolling; {@code dev} when run from classes, not the jar. */
    public static String current() {
        String version = AgentVersion.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "mamos-agent " + current(),
            "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")
                    + " " + System.getProperty("os.arch"),
        };
    }
}
