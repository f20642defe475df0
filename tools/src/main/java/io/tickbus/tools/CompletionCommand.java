package io.tickbus.tools;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code tickbus completion}: prints the bash / zsh completion script Picocli generates from the registered
 * commands and options, so it never goes stale. Stateless.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = "Print the bash/zsh completion script for tickbus.",
    footer = {
        "",
        "Examples:",
        "  source <(tickbus completion)                       # this shell",
        "  tickbus completion > /etc/bash_completion.d/tickbus  # every shell",
        "  # zsh: first autoload -U +X bashcompinit && bashcompinit, then",
        "  source <(tickbus completion)"})
public final class CompletionCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public Integer call()
    {
        final CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash(root.getCommandName(), root));
        spec.commandLine().getOut().flush();
        return TickbusCli.EXIT_OK;
    }
}
