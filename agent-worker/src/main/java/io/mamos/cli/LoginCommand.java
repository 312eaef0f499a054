package io.mamos.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "login", description = {
    "Log in to an orchestrator and keep the session (a refresh token) in ~/.config/mamos/credentials.json,",
    "readable by you only (mode 0600; $XDG_CONFIG_HOME/mamos when set). Access tokens are refreshed as needed.",
})
final class LoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-s", "--server"}, paramLabel = "URL",
            defaultValue = "${env:MAMOS_SERVER:-" + Mamos.DEFAULT_SERVER + "}",
            description = "Orchestrator URL. Env: MAMOS_SERVER.")
    String server;

    @Option(names = {"-u", "--user"}, paramLabel = "NAME", defaultValue = "${env:MAMOS_USER}",
            description = "User name (asked for on a terminal when not given). Env: MAMOS_USER.")
    String user;

    @Option(names = "--password-stdin", description = "Read the password from the first line of stdin.")
    boolean passwordStdin;

    @Override
    public Integer call() {
        Console console = System.console();
        String username = user;
        if (username == null || username.isBlank()) {
            if (console == null || passwordStdin) {
                throw new CliException(CliExit.USAGE, "give the user with --user (no terminal to ask on)");
            }
            username = console.readLine("User: ");
            if (username == null || username.isBlank()) {
                throw new CliException(CliExit.USAGE, "no user given");
            }
        }
        char[] password = password(console);
        try {
            Credentials credentials = Credentials.ofUser(System.getenv());
            Credentials.Session session = Api.anonymous(server).login(username.strip(), password, credentials);
            spec.commandLine().getOut().println("Logged in to " + session.server() + " as " + session.username()
                    + (session.role() == null ? "" : " (" + session.role() + ")") + "; session kept in "
                    + credentials.file());
            return CliExit.OK;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] password(Console console) {
        if (passwordStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new CliException(CliExit.USAGE, "--password-stdin: stdin gave no password");
                }
                return line.toCharArray();
            } catch (IOException e) {
                throw new CliException(CliExit.USAGE, "--password-stdin: cannot read stdin: " + e.getMessage());
            }
        }
        if (console == null) {
            throw new CliException(CliExit.USAGE, "no terminal to ask the password on: use --password-stdin");
        }
        char[] typed = console.readPassword("Password: ");
        if (typed == null || typed.length == 0) {
            throw new CliException(CliExit.USAGE, "no password given");
        }
        return typed;
    }
}
