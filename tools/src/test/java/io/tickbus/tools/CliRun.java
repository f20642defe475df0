package io.tickbus.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs a {@code tickbus} command line in process, in the foreground or on a background thread, and captures its
 * standard output and error.
 */
final class CliRun implements AutoCloseable
{
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final String[] args;
    private Future<Integer> future;

    private CliRun(final String... args)
    {
        this.args = args;
    }

    /**
     * Run to completion on this thread.
     *
     * @param args the command line.
     * @return the finished run.
     */
    static CliRun run(final String... args)
    {
        final CliRun run = new CliRun(args);
        run.future = java.util.concurrent.CompletableFuture.completedFuture(
            TickbusCli.execute(new PrintWriter(run.out, true), new PrintWriter(run.err, true), args));
        run.executor.shutdown();
        return run;
    }

    /**
     * Start on a background thread.
     *
     * @param args the command line.
     * @return the running command.
     */
    static CliRun start(final String... args)
    {
        final CliRun run = new CliRun(args);
        run.future = run.executor.submit(() -> TickbusCli.execute(
            new PrintWriter(run.out, true), new PrintWriter(run.err, true), run.args));
        run.executor.shutdown();
        return run;
    }

    /**
     * @return the exit code, waiting up to 60 s.
     */
    int exitCode()
    {
        try
        {
            return future.get(60, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new AssertionError("command did not finish: " + String.join(" ", args) + "\nerr: " + err, ex);
        }
    }

    boolean isDone()
    {
        return future.isDone();
    }

    String out()
    {
        synchronized (out.getBuffer())
        {
            return out.toString();
        }
    }

    String err()
    {
        synchronized (err.getBuffer())
        {
            return err.toString();
        }
    }

    /**
     * Wait for a condition, sleeping between checks.
     *
     * @param what for the failure message.
     * @param condition to wait for.
     */
    static void await(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }
    }

    /**
     * Whether a UDP socket is bound to the port, read from /proc/net/udp. Not by binding a probe socket: a probe
     * bound at the moment the feed binds makes the feed fail with "Address already in use" (it did, in CI).
     *
     * @param port a UDP port.
     * @return true when some socket is bound to it.
     */
    static boolean isUdpBound(final int port)
    {
        final String suffix = String.format(":%04X ", port);
        try
        {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/net/udp")).stream()
                .map(String::trim)
                .anyMatch((line) -> line.split("\\s+").length > 1 && (line.split("\\s+")[1] + " ").endsWith(suffix));
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /**
     * The command line of a {@code tickbus} child process on the test classpath (for tests that kill or pause it).
     *
     * @param args the tickbus arguments.
     * @return java, its flags, the classpath, the CLI's main class, then the arguments.
     */
    static java.util.List<String> childCommand(final String... args)
    {
        final String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx256m",
            "-cp", classpath,
            TickbusCli.class.getName()));
        command.addAll(java.util.List.of(args));
        return command;
    }

    /**
     * Extract a whole-number JSON field from a line.
     *
     * @param json the text.
     * @param name the field name.
     * @return its value.
     */
    static long jsonLong(final String json, final String name)
    {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + java.util.regex.Pattern.quote(name) +
            "\":(-?\\d+)").matcher(json);
        if (!m.find())
        {
            throw new AssertionError("no field " + name + " in " + json);
        }
        return Long.parseLong(m.group(1));
    }

    /** Stop a command still running (as Ctrl-C would) and wait for it to end. */
    public void close()
    {
        if (!future.isDone())
        {
            StopSignal.requestAll();
            try
            {
                future.get(30, TimeUnit.SECONDS);
            }
            catch (final Exception ignore)
            {
                // reported by the test that started it
            }
        }
        executor.shutdownNow();
    }
}
