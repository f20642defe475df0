package io.tickbus.tools.multihost;

import io.tickbus.tools.TickbusCli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started inside one host's network namespace ({@code ip netns exec NS java ...}) on the test's own
 * class path: a {@code tickbus} command ({@link TickbusCli}) or a test main such as {@link MultiHostPublisher}.
 * Standard output and error go to a file in the run's log directory; {@link #close()} ends the process (SIGTERM,
 * then SIGKILL after 10 s), so a test never leaves one behind.
 * <p>
 * Threading: one test thread. Allocation: cold path only.
 */
final class HostProcess implements AutoCloseable
{
    private static final List<String> JVM_FLAGS = List.of(
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        // Small JVMs: six of them share two cores.
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private final String name;
    private final Process process;
    private final Path log;
    private volatile long exitNs;

    private HostProcess(final String name, final Process process, final Path log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
        process.onExit().thenRun(() -> exitNs = System.nanoTime());
    }

    /**
     * Start {@code tickbus ARGS} in a host.
     *
     * @param host host name (namespace {@code tbt-HOST}).
     * @param logDir where its output goes.
     * @param label file name for its output.
     * @param args the tickbus command line.
     * @return the running process.
     */
    static HostProcess tickbus(final String host, final Path logDir, final String label, final String... args)
    {
        return java(host, logDir, label, TickbusCli.class.getName(), args);
    }

    /**
     * Start a main class in a host.
     *
     * @param host host name.
     * @param logDir where its output goes.
     * @param label file name for its output.
     * @param mainClass class with the main method.
     * @param args its arguments.
     * @return the running process.
     */
    static HostProcess java(
        final String host, final Path logDir, final String label, final String mainClass, final String... args)
    {
        return start(Netns.namespace(host), logDir, host + "-" + label, Map.of(), List.of(), mainClass, args);
    }

    /**
     * Start a main class in a namespace, with extra environment variables (e.g. a secret, which must not be on the
     * command line) and extra JVM options (e.g. {@code -Dname=value}).
     *
     * @param namespace network namespace.
     * @param logDir where its output goes.
     * @param label file name for its output.
     * @param env added to the inherited environment.
     * @param jvmOptions added after the common JVM flags.
     * @param mainClass class with the main method.
     * @param args its arguments.
     * @return the running process.
     */
    static HostProcess start(
        final String namespace,
        final Path logDir,
        final String label,
        final Map<String, String> env,
        final List<String> jvmOptions,
        final String mainClass,
        final String... args)
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace, javaBinary()));
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        final Path log = logDir.resolve(label + ".log");
        try
        {
            final ProcessBuilder builder = new ProcessBuilder(cmd);
            builder.environment().putAll(env);
            final Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
            return new HostProcess(namespace + "/" + label, process, log);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start " + String.join(" ", cmd), ex);
        }
    }

    /**
     * Wait for the process to end.
     *
     * @param timeoutS bound in seconds.
     * @return its exit code.
     * @throws AssertionError with its output when it did not end in time.
     */
    int awaitExit(final long timeoutS)
    {
        try
        {
            if (!process.waitFor(timeoutS, TimeUnit.SECONDS))
            {
                throw new AssertionError(name + " did not finish in " + timeoutS + " s; output:\n" + output());
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
        return process.exitValue();
    }

    /** @return true while running. */
    boolean isAlive()
    {
        return process.isAlive();
    }

    /** @return {@link System#nanoTime()} when the process ended (recorded as it ends), 0 while it runs. */
    long exitNs()
    {
        while (0 == exitNs && !process.isAlive())
        {
            Thread.onSpinWait();
        }
        return exitNs;
    }

    /** @return everything the process printed so far. */
    String output()
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "(no output: " + ex + ")";
        }
    }

    /**
     * @return the last line of output that starts with '{' (a command's JSON summary), or null.
     */
    String lastJsonLine()
    {
        final String[] lines = output().split("\n");
        for (int i = lines.length - 1; i >= 0; i--)
        {
            if (lines[i].startsWith("{"))
            {
                return lines[i].trim();
            }
        }
        return null;
    }

    public String toString()
    {
        return name;
    }

    /** End the process if it still runs: SIGTERM (its shutdown hooks clean up), SIGKILL after 10 s. */
    public void close()
    {
        if (!process.isAlive())
        {
            return;
        }
        process.destroy();
        try
        {
            if (!process.waitFor(10, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String javaBinary()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classPath()
    {
        // Surefire runs tests from a manifest-only jar; it gives the real class path in its own property.
        final String surefire = System.getProperty("surefire.test.class.path");
        return null != surefire && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
