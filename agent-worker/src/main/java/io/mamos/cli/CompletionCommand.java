package io.mamos.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", description = {"Print a shell completion script (bash; zsh reads it too).",
    "bash: source <(mamos completion bash)",
    "zsh:  autoload -U +X bashcompinit && bashcompinit && source <(mamos completion zsh)"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", defaultValue = "bash", description = "bash or zsh.")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new CliException(CliExit.USAGE, "no completion for " + shell + ": bash or zsh");
        }
        spec.commandLine().getOut().print(AutoComplete.bash("mamos", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return CliExit.OK;
    }
}
