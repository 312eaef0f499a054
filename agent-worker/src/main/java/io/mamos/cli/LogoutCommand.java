package io.mamos.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "logout", description = "End the saved session on the server and delete its credentials file.")
final class LogoutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Credentials credentials = Credentials.ofUser(System.getenv());
        if (credentials.read().isEmpty()) {
            spec.commandLine().getOut().println("Not logged in.");
            return CliExit.OK;
        }
        try {
            Api.connect(null, java.util.Map.of("XDG_CONFIG_HOME", configHome())).logout();
        } catch (CliException e) {
            // The session may be over already (expired, revoked); forgetting it is what matters here.
            spec.commandLine().getErr().println("mamos: the server did not end the session: " + e.getMessage());
        }
        credentials.delete();
        spec.commandLine().getOut().println("Logged out; " + credentials.file() + " deleted.");
        return CliExit.OK;
    }

    /** The config home as {@link Credentials#ofUser} resolved it; MAMOS_TOKEN is not used for a logout. */
    private static String configHome() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return xdg != null && !xdg.isBlank() ? xdg : System.getProperty("user.home") + "/.config";
    }
}
