package io.tickbus.tools.multihost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A topology of network namespaces on one bridge, built and torn down with the repository's
 * {@code scripts/netns-up.sh}, {@code netns-down.sh} and {@code netns-loss.sh} (so the tests exercise the scripts
 * operators use). The tests' namespaces carry the prefix {@code tbt} ({@code tbt-sw}, {@code tbt-pub}, ...), apart
 * from a demo topology under {@code tb}. Addresses 10.77.0.0/24, private to the namespaces. A test that may run at
 * the same time as another uses {@link #upWith(String, String, String, String...)} with its own prefix, subnet and
 * bridge.
 * <p>
 * Threading: one test thread. Allocation: per call (process handling, cold path).
 */
final class Netns
{
    static final String PREFIX = "tbt";
    static final String SUBNET = "10.77.0.";
    private static final long SCRIPT_TIMEOUT_S = 30;

    private static final String BRIDGE = "tbbr0";

    private final Path scripts;
    private final String prefix;
    private final String subnet;

    private Netns(final Path scripts, final String prefix, final String subnet)
    {
        this.scripts = scripts;
        this.prefix = prefix;
        this.subnet = subnet;
    }

    /**
     * @return why multi-host tests cannot run here, or null when they can (Linux, root, {@code ip netns} works,
     * the scripts are found).
     */
    static String whyUnavailable()
    {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux"))
        {
            return "multi-host tests need Linux network namespaces";
        }
        if (!"root".equals(System.getProperty("user.name")))
        {
            return "multi-host tests need root (ip netns add), running as " + System.getProperty("user.name");
        }
        if (null == findScripts())
        {
            return "scripts/netns-up.sh not found above " + System.getProperty("user.dir");
        }
        final String probe = PREFIX + "-probe" + ProcessHandle.current().pid();
        final Result add = exec(List.of("ip", "netns", "add", probe));
        if (0 != add.exitCode)
        {
            return "'ip netns add' does not work here (exit " + add.exitCode + "): " + add.output.trim();
        }
        exec(List.of("ip", "netns", "del", probe));
        return null;
    }

    /**
     * Tear down anything a previous run left, then build the hosts.
     *
     * @param hosts {@code NAME:LAST_OCTET} each.
     * @return the topology.
     */
    static Netns up(final String... hosts)
    {
        return upWith(PREFIX, SUBNET, BRIDGE, hosts);
    }

    /**
     * Tear down anything a previous run of this prefix left, then build the hosts.
     *
     * @param prefix namespace prefix ({@code PREFIX-sw}, {@code PREFIX-HOST}).
     * @param subnet first three octets with a trailing dot, e.g. {@code 10.78.0.}.
     * @param bridge bridge name in the switch namespace.
     * @param hosts {@code NAME:LAST_OCTET} each.
     * @return the topology.
     */
    static Netns upWith(final String prefix, final String subnet, final String bridge, final String... hosts)
    {
        final Netns netns = new Netns(findScripts(), prefix, subnet);
        netns.down();
        final List<String> cmd = new ArrayList<>(List.of(netns.script("netns-up.sh"), "--prefix", prefix,
            "--subnet", subnet.substring(0, subnet.length() - 1), "--bridge", bridge));
        cmd.addAll(List.of(hosts));
        netns.run(cmd);
        return netns;
    }

    /**
     * @param host host name.
     * @return its namespace in the default topology.
     */
    static String namespace(final String host)
    {
        return PREFIX + "-" + host;
    }

    /**
     * @param host host name.
     * @return its namespace in this topology.
     */
    String namespaceOf(final String host)
    {
        return prefix + "-" + host;
    }

    /**
     * @param lastOctet host part.
     * @return the address in this topology's subnet.
     */
    String address(final int lastOctet)
    {
        return subnet + lastOctet;
    }

    /** Remove every namespace of the topology's prefix (safe when none exists). */
    void down()
    {
        final Result result = exec(List.of(script("netns-down.sh"), "--prefix", prefix));
        if (0 != result.exitCode)
        {
            System.err.println("netns-down failed: " + result.output);
        }
    }

    /**
     * @return the impairment mechanism available ({@code netem} or {@code nft}), or null when none.
     */
    String lossMechanism()
    {
        final Result result = exec(List.of(script("netns-loss.sh"), "--prefix", prefix, "check"));
        return 0 == result.exitCode ? result.output.trim() : null;
    }

    /**
     * Run {@code netns-loss.sh} on one host.
     *
     * @param host host name.
     * @param action e.g. {@code loss 5}, {@code clear}, {@code down}, {@code up}.
     */
    void link(final String host, final String... action)
    {
        final List<String> cmd = new ArrayList<>(List.of(script("netns-loss.sh"), "--prefix", prefix, host));
        cmd.addAll(List.of(action));
        run(cmd);
    }

    /**
     * Run a command inside a host's namespace and return its output.
     *
     * @param host host name.
     * @param command the command.
     * @return exit code and output.
     */
    Result execIn(final String host, final String... command)
    {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespaceOf(host)));
        cmd.addAll(List.of(command));
        return exec(cmd);
    }

    private String script(final String name)
    {
        return scripts.resolve(name).toString();
    }

    private void run(final List<String> cmd)
    {
        final Result result = exec(cmd);
        if (0 != result.exitCode)
        {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + result.exitCode + "): " +
                result.output);
        }
    }

    private static Path findScripts()
    {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (null != dir)
        {
            final Path candidate = dir.resolve("scripts");
            if (Files.isExecutable(candidate.resolve("netns-up.sh")))
            {
                return candidate;
            }
            dir = dir.getParent();
        }
        return null;
    }

    static Result exec(final List<String> cmd)
    {
        Path log = null;
        try
        {
            log = Files.createTempFile("tickbus-netns", ".log");
            final Process process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
            if (!process.waitFor(SCRIPT_TIMEOUT_S, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", cmd));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            return new Result(-1, ex.toString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return new Result(-1, ex.toString());
        }
        finally
        {
            if (null != log)
            {
                log.toFile().delete();
            }
        }
    }

    /**
     * A finished command.
     *
     * @param exitCode its exit code (-1 when it could not run or timed out).
     * @param output standard output and error.
     */
    record Result(int exitCode, String output)
    {
    }
}
