package io.tickbus.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code tickbus} executable: one Picocli subcommand per component and operator task.
 * <p>
 * Exit codes (a scriptable contract): 0 success, 1 runtime error (one-line reason on stderr), 2 usage error
 * (reason and usage on stderr).
 */
@Command(
    name = "tickbus",
    mixinStandardHelpOptions = true,
    versionProvider = TickbusCli.Version.class,
    description = "Tickbus: a low-latency market-data bus on Aeron.",
    footer = {"", "Run 'tickbus COMMAND --help' for a command's options and examples."},
    subcommands = {
        CommandLine.HelpCommand.class,
        DriverCommand.class,
        SimulateCommand.class,
        ParseCommand.class,
        FeedCommand.class,
        SequencerCommand.class,
        ArchiveCommand.class,
        RecordingsCommand.class,
        ReplayCommand.class,
        BacktestCommand.class,
        RunCommand.class,
        ExportCommand.class,
        SubscribeCommand.class,
        LatencyCommand.class,
        StatCommand.class,
        ErrorsCommand.class,
        DemoCommand.class,
        CompletionCommand.class,
    })
public final class TickbusCli implements Runnable
{
    /** Exit code for success. */
    public static final int EXIT_OK = 0;
    /** Exit code for a runtime error. */
    public static final int EXIT_RUNTIME = 1;
    /** Exit code for a usage error. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: print usage and fail as a usage error. */
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /**
     * Build the command line with Tickbus's exit-code and error conventions.
     *
     * @param out standard output.
     * @param err standard error.
     * @return the configured command line.
     */
    public static CommandLine commandLine(final PrintWriter out, final PrintWriter err)
    {
        final CommandLine cli = new CommandLine(new TickbusCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExitCodeExceptionMapper((ex) -> ex instanceof CommandLine.ParameterException ||
            ex instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_RUNTIME);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
        {
            if (ex instanceof IllegalArgumentException)
            {
                commandLine.getErr().println("tickbus " + commandLine.getCommandName() + ": " + ex.getMessage());
                commandLine.usage(commandLine.getErr());
                return EXIT_USAGE;
            }
            commandLine.getErr().println("tickbus " + commandLine.getCommandName() + ": error: " + reason(ex));
            if (Boolean.getBoolean("tickbus.debug"))
            {
                ex.printStackTrace(commandLine.getErr());
            }
            return EXIT_RUNTIME;
        });
        return cli;
    }

    /**
     * Run a command line in process (tests use this).
     *
     * @param out standard output.
     * @param err standard error.
     * @param args arguments.
     * @return the exit code.
     */
    public static int execute(final PrintWriter out, final PrintWriter err, final String... args)
    {
        final int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String reason(final Throwable ex)
    {
        Throwable t = ex;
        while (null != t.getCause() && (null == t.getMessage() || t instanceof java.util.concurrent.ExecutionException))
        {
            t = t.getCause();
        }
        return null == t.getMessage() ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * Entry point.
     *
     * @param args arguments.
     */
    public static void main(final String[] args)
    {
        final int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider
    {
        public String[] getVersion()
        {
            final String v = TickbusCli.class.getPackage().getImplementationVersion();
            return new String[]{"tickbus " + (null == v ? "dev" : v)};
        }
    }
}
