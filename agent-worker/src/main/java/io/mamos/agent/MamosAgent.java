package io.mamos.agent;

import io.mamos.agent.enroll.EnrollCommand;
import io.mamos.agent.run.RunCommand;
import io.mamos.agent.simulate.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import java.io.PrintWriter;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code mamos-agent}: enrolls a machine with the MAMOS orchestrator once, then runs a Temporal
 * worker that executes allowlisted commands sent to this agent's own task queue.
 */
@Command(
        name = "mamos-agent",
        mixinStandardHelpOptions = true,
        versionProvider = AgentVersion.class,
        // Inherited so every subcommand gets --help/--version, shown defaults and the exit codes.
        scope = ScopeType.INHERIT,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "MAMOS agent: enroll this machine with the orchestrator, then run commands it is sent.",
            "Every option can also be set through an environment variable MAMOS_AGENT_<OPTION>.",
        },
        subcommands = {EnrollCommand.class, RunCommand.class, SimulateCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            ExitCodes.OK + ":Success",
            ExitCodes.SOFTWARE + ":Unexpected error",
            ExitCodes.USAGE + ":Invalid or missing options",
            ExitCodes.REFUSED + ":Enrollment refused by the orchestrator",
            ExitCodes.UNAVAILABLE + ":Orchestrator or Temporal unreachable",
            ExitCodes.CONFIG + ":Config file missing, invalid, already present or not writable",
            ExitCodes.CREDENTIAL_REVOKED + ":The orchestrator refused this agent's credential (decommissioned)",
        })
public final class MamosAgent implements Runnable {

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests use it to run the CLI in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new MamosAgent())
                .setParameterExceptionHandler(new UsageErrorHandler())
                .setExecutionExceptionHandler(new FailureHandler());
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: enroll or run");
    }

    /** Explains known failures in one line; only unexpected ones get a stack trace. */
    static final class FailureHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
            if (ex instanceof AgentException failure) {
                commandLine.getErr().println("mamos-agent: " + failure.getMessage());
                return failure.exitCode();
            }
            commandLine.getErr().println("mamos-agent: unexpected error");
            ex.printStackTrace(commandLine.getErr());
            return ExitCodes.SOFTWARE;
        }
    }

    /** Says what was wrong and where help is, instead of burying the error under the full usage. */
    static final class UsageErrorHandler implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine commandLine = ex.getCommandLine();
            PrintWriter err = commandLine.getErr();
            err.println("mamos-agent: " + ex.getMessage());
            UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
            return commandLine.getCommandSpec().exitCodeOnInvalidInput();
        }
    }
}
