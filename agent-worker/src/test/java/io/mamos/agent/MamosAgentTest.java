package io.mamos.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.OptionSpec;

class MamosAgentTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    @Test
    void everyOptionCanComeFromItsEnvironmentVariable() {
        // Without interpolation, defaultValue() is the declared ${env:...} expression.
        List<OptionSpec> options = MamosAgent.commandLine().setInterpolateVariables(false)
                .getSubcommands().values().stream()
                .flatMap(sub -> sub.getCommandSpec().options().stream())
                .filter(option -> !option.usageHelp() && !option.versionHelp())
                .toList();

        assertThat(options).isNotEmpty().allSatisfy(option -> {
            String env = "MAMOS_AGENT_" + option.longestName().substring(2).toUpperCase().replace('-', '_');
            assertThat(option.defaultValue()).as(option.longestName()).startsWith("${env:" + env);
        });
    }

    @Test
    void neverShowsTheTokenInHelp() {
        OptionSpec token = MamosAgent.commandLine().getSubcommands().get("enroll").getCommandSpec()
                .findOption("--token");

        assertThat(token.showDefaultValue()).isEqualTo(Visibility.NEVER);
    }

    @Test
    void aMissingSubcommandIsAUsageError() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("Missing subcommand");
    }

    @Test
    void runWithoutAConfigSaysToEnrollFirst() {
        int exit = run("run", "--config", dir.resolve("absent.properties").toString());

        assertThat(exit).isEqualTo(ExitCodes.CONFIG);
        assertThat(err.toString()).contains("mamos-agent enroll");
    }

    @Test
    void aMalformedMetricsAddressIsAUsageError() {
        int exit = run("run", "--config", dir.resolve("absent.properties").toString(), "--metrics-address", "9101");

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--metrics-address");
    }

    private int run(String... args) {
        CommandLine cli = MamosAgent.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
