package io.tickbus.systemtests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code scripts/tickbus ARGS} process (its own JVM), optionally inside a network namespace
 * ({@code ip netns exec NS}, which execs, so {@link #pid()} is the JVM's), with its output in a log file and
 * {@code TICKBUS_JAVA_OPTS} giving its embedded driver a directory of its own under /dev/shm. Faults: SIGKILL,
 * SIGSTOP / SIGCONT; {@link #close()} (SIGCONT, SIGTERM, SIGKILL after a bound) never leaves one behind.
 * <p>
 * The tools module's {@code multihost.HostProcess} starts test-classpath JVMs in namespaces; this one runs the
 * shipped jar through the script, as an operator would, so it is not a copy of it.
 * <p>
 * Threading: the harness thread. Allocation: cold path only.
 */
final class TickbusProcess implements AutoCloseable
{
    private final String name;
    private final Process process;
    private final Path log;
    private volatile boolean stopped;

    private TickbusProcess(final String name, final Process process, final Path log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Start {@code ROOT/scripts/tickbus ARGS}.
     *
     * @param root repository root.
     * @param netns network namespace, or null for the caller's.
     * @param name label (log file name).
     * @param log output file (appended).
     * @param javaOpts TICKBUS_JAVA_OPTS.
     * @param args the command line.
     * @return the running process.
     */
    static TickbusProcess start(
        final Path root, final String netns, final String name, final Path log, final String javaOpts,
        final List<String> args)
    {
        final List<String> cmd = new ArrayList<>();
        if (null != netns)
        {
            cmd.addAll(List.of("ip", "netns", "exec", netns));
        }
        cmd.add(root.resolve("scripts").resolve("tickbus").toString());
        cmd.addAll(args);
        try
        {
            final ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("TICKBUS_JAVA_OPTS", javaOpts);
            return new TickbusProcess(name, builder.start(), log);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot start " + String.join(" ", cmd), ex);
        }
    }

    String name()
    {
        return name;
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    boolean isStopped()
    {
        return stopped;
    }

    Path log()
    {
        return log;
    }

    /** SIGKILL, and wait (bounded) for the process to be gone. */
    void kill()
    {
        process.destroyForcibly();
        await(10);
        stopped = false;
    }

    /** SIGSTOP: the process freezes (its embedded driver too). */
    void pause()
    {
        signal("STOP");
        stopped = true;
    }

    /** SIGCONT. */
    void resume()
    {
        signal("CONT");
        stopped = false;
    }

    /**
     * SIGTERM and wait for the process to end (its shutdown prints its summary).
     *
     * @param timeoutS bound before SIGKILL.
     * @return exit code, or -1 when it had to be killed.
     */
    int terminate(final long timeoutS)
    {
        if (!process.isAlive())
        {
            return process.exitValue();
        }
        if (stopped)
        {
            resume();
        }
        process.destroy();
        if (await(timeoutS))
        {
            return process.exitValue();
        }
        kill();
        return -1;
    }

    /**
     * @param timeoutS bound.
     * @return true when the process ended within it.
     */
    boolean await(final long timeoutS)
    {
        try
        {
            return process.waitFor(timeoutS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return the output so far. */
    String output()
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    /** @return the last line of output starting with '{' (a JSON summary), or null. */
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

    private void signal(final String sig)
    {
        if (!process.isAlive())
        {
            return;
        }
        try
        {
            final Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid()))
                .redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS))
            {
                kill.destroyForcibly();
            }
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("kill -" + sig + " " + process.pid(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    public void close()
    {
        if (process.isAlive())
        {
            terminate(10);
        }
    }

    public String toString()
    {
        return name + "(pid " + process.pid() + ")";
    }
}
