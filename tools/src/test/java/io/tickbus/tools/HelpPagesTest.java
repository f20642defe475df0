package io.tickbus.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every {@code --help} page rendered at 80 columns reads cleanly: no line wider than 80, each command's entry in the
 * top-level list one full sentence, and every example a command that can be pasted (continued with {@code " \"})
 * and that picocli parses.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HelpPagesTest
{
    private static final int WIDTH = 80;

    private static CommandLine cli()
    {
        final CommandLine cli = TickbusCli.commandLine(new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));
        cli.setUsageHelpWidth(WIDTH);
        cli.setUsageHelpAutoWidth(false);
        return cli;
    }

    private static String usage(final CommandLine command)
    {
        final StringWriter text = new StringWriter();
        command.usage(new PrintWriter(text), CommandLine.Help.Ansi.OFF);
        return text.toString();
    }

    private static List<CommandLine> all(final CommandLine root)
    {
        final List<CommandLine> all = new ArrayList<>();
        all.add(root);
        for (final CommandLine sub : root.getSubcommands().values())
        {
            if (!all.contains(sub))
            {
                all.addAll(all(sub));
            }
        }
        return all;
    }

    @Test
    void noLineIsWiderThan80Columns()
    {
        final List<String> wide = new ArrayList<>();
        for (final CommandLine command : all(cli()))
        {
            for (final String line : usage(command).split("\n"))
            {
                if (line.length() > WIDTH)
                {
                    wide.add(command.getCommandName() + ": " + line);
                }
            }
        }
        assertTrue(wide.isEmpty(), String.join("\n", wide));
    }

    @Test
    void everyCommandInTheTopLevelListIsOneFullSentence()
    {
        final CommandLine root = cli();
        final String top = usage(root);
        for (final Map.Entry<String, CommandLine> entry : root.getSubcommands().entrySet())
        {
            final String[] description = entry.getValue().getCommandSpec().usageMessage().description();
            assertTrue(description.length > 0, entry.getKey() + " has no description");
            final String first = description[0];
            assertTrue(first.endsWith("."), entry.getKey() + ": the list shows a cut sentence: '" + first + "'");
            final String listed = top.lines().filter((line) -> line.trim().startsWith(entry.getKey() + " ") ||
                line.trim().equals(entry.getKey())).findFirst().orElseThrow();
            assertTrue(listed.trim().endsWith("."), "wrapped in the list: " + listed);
        }
    }

    @Test
    void theReadmeCommandTableListsEveryCommandAndNoOther() throws java.io.IOException
    {
        final java.nio.file.Path readme = java.nio.file.Path.of("..", "README.md");
        final java.util.Set<String> listed = new java.util.TreeSet<>();
        for (final String line : java.nio.file.Files.readAllLines(readme))
        {
            final java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\| `([a-z]+)` \\|").matcher(line);
            if (m.find())
            {
                listed.add(m.group(1));
            }
        }
        final java.util.Set<String> commands = new java.util.TreeSet<>(cli().getSubcommands().keySet());
        commands.remove("help");
        assertTrue(commands.contains("run"), commands.toString());
        assertEquals(commands, listed, "README's command table against tickbus --help");
    }

    @Test
    void everyExampleIsAPastableCommandThatParses()
    {
        int examples = 0;
        for (final CommandLine command : all(cli()))
        {
            final String[] lines = usage(command).split("\n");
            boolean inExamples = false;
            boolean afterBlank = false;
            StringBuilder pending = null;
            for (final String line : lines)
            {
                // Prose after a blank line, unindented, ends the examples (a wrapped example is not after a blank).
                if (inExamples && afterBlank && !line.isEmpty() && !line.startsWith(" "))
                {
                    inExamples = false;
                }
                afterBlank = line.isBlank();
                if (line.startsWith("Examples:"))
                {
                    inExamples = true;
                    continue;
                }
                if (!inExamples)
                {
                    continue;
                }
                // An environment assignment may lead a command: TICKBUS_X=file tickbus sequencer ...
                final String text = line.trim().replaceFirst("^([A-Z_][A-Z0-9_]*=\\S+\\s+)+(?=tickbus )", "");
                if (null == pending)
                {
                    if (text.isEmpty() || !text.startsWith("tickbus "))
                    {
                        // An indented shell line (source <(tickbus completion)) is fine; an unindented one is
                        // the tail of an example that picocli wrapped.
                        if (!text.isEmpty() && !line.startsWith("  "))
                        {
                            fail(command.getCommandName() + ": a line in the examples that is no command (an " +
                                "example wrapped without ' \\'?): '" + line + "'");
                        }
                        continue;
                    }
                    pending = new StringBuilder();
                }
                final boolean continued = text.endsWith(" \\");
                pending.append(continued ? text.substring(0, text.length() - 2) : text).append(' ');
                if (!continued)
                {
                    parse(command, pending.toString().trim());
                    examples++;
                    pending = null;
                }
            }
            assertEquals(null, pending, command.getCommandName() + ": an example ends with ' \\'");
        }
        assertTrue(examples >= 20, "examples found: " + examples);
    }

    private static void parse(final CommandLine command, final String example)
    {
        final List<String> words = new ArrayList<>(List.of(example.split("\\s+")));
        assertEquals("tickbus", words.remove(0), example);
        // The command ends at a shell comment, redirection or pipe.
        int end = words.size();
        for (int i = 0; i < words.size(); i++)
        {
            if (words.get(i).startsWith("#") || words.get(i).equals(">") || words.get(i).equals("|"))
            {
                end = i;
                break;
            }
        }
        final List<String> args = words.subList(0, end);
        try
        {
            cli().parseArgs(args.stream().map(HelpPagesTest::unquote).toArray(String[]::new));
        }
        catch (final CommandLine.ParameterException ex)
        {
            fail(command.getCommandName() + ": example does not parse: " + example + " (" + ex.getMessage() + ")");
        }
    }

    private static String unquote(final String word)
    {
        return word.length() >= 2 && (word.startsWith("'") && word.endsWith("'") ||
            word.startsWith("\"") && word.endsWith("\"")) ? word.substring(1, word.length() - 1) : word;
    }
}
