package io.mamos.cli;

import io.mamos.agent.AgentException;
import io.mamos.agent.AgentVersion;
import io.mamos.agent.MamosAgent;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code mamos}: the operator's command line, and (as {@code mamos agent …}) the agent's, in one
 * jar, as Nomad and Consul do. {@code mamos-agent} stays the agent's own entry point.
 */
@Command(
        name = "mamos",
        mixinStandardHelpOptions = true,
        versionProvider = AgentVersion.class,
        scope = ScopeType.INHERIT,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "MAMOS from a terminal: run a command on many agents, follow jobs, manage agents, tokens and schedules.",
            "Log in once with `mamos login`; scripts may set MAMOS_SERVER and MAMOS_TOKEN instead.",
        },
        subcommands = {
            LoginCommand.class, LogoutCommand.class, RunCommand.class, JobsCommand.class, RunsCommand.class,
            AgentsCommand.class, TokensCommand.class, SchedulesCommand.class, CommandsCommand.class,
            CompletionCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {})
public final class Mamos implements Runnable {

    static final String DEFAULT_SERVER = "http://localhost:4000";

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        CommandLine commandLine = commandLine();
        int exit = commandLine.execute(args);
        // Tables are written with print (no autoflush): flush before the JVM exits.
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(exit);
    }

    /** The configured command line; tests use it to run the CLI in-process. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Mamos());
        setExitCodes(commandLine);
        CommandLine agent = MamosAgent.commandLine();
        agent.getCommandSpec().name("agent").usageMessage()
                .description("The agent: enroll this machine, run its worker (the same as `mamos-agent`).");
        commandLine.addSubcommand("agent", agent);
        // `mamos run --all uname -a`: everything after the command is the command's, not ours.
        commandLine.getSubcommands().get("run").setStopAtPositional(true);
        commandLine.getSubcommands().get("schedules").getSubcommands().get("create").setStopAtPositional(true);
        return commandLine
                .setParameterExceptionHandler(Mamos::usageError)
                .setExecutionExceptionHandler(Mamos::failure);
    }

    /** Every operator command lists the same exit codes; the agent's keep their own. */
    private static void setExitCodes(CommandLine command) {
        command.getCommandSpec().usageMessage().exitCodeList(exitCodes());
        command.getSubcommands().values().forEach(Mamos::setExitCodes);
    }

    private static java.util.Map<String, String> exitCodes() {
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
        for (String entry : CliExit.LIST) {
            int colon = entry.indexOf(':');
            codes.put(entry.substring(0, colon), entry.substring(colon + 1));
        }
        return codes;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand");
    }

    /** Known failures in plain words; only unexpected ones get a stack trace. */
    private static int failure(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        if (ex instanceof CliException failure) {
            err.println("mamos: " + failure.getMessage());
            return failure.exitCode();
        }
        if (ex instanceof AgentException failure) {
            err.println("mamos agent: " + failure.getMessage());
            return failure.exitCode();
        }
        err.println("mamos: unexpected error");
        ex.printStackTrace(err);
        return CliExit.SOFTWARE;
    }

    private static int usageError(ParameterException ex, String[] args) {
        CommandLine commandLine = ex.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("mamos: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        return CliExit.USAGE;
    }
}
