package io.tickbus.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code tickbus demo}, shortened: the whole bus end to end (driver, archive, single-member cluster, simulator over
 * loopback UDP 20740, feed handler, strategy, replay), and nothing left behind in /dev/shm.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DemoCommandTest
{
    private static Set<String> demoDirs()
    {
        // Only this JVM's (the names carry the pid): other test JVMs on the machine may run a demo meanwhile.
        final String mine = "-" + ProcessHandle.current().pid() + "-";
        final String[] names = new File("/dev/shm").list((dir, name) -> name.startsWith("tickbus-demo") &&
            name.contains(mine));
        return null == names ? Set.of() : new HashSet<>(Arrays.asList(names));
    }

    @Test
    void shortDemoAccountsForEveryMessageAndReplaysIdentically()
    {
        final Set<String> before = demoDirs();
        final CliRun run = CliRun.run("demo", "--duration", "4s", "--rate", "1500", "--symbols", "5",
            "--udp-port", "20740", "--sequencer-port", "20750");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        final String out = run.out();
        assertTrue(out.contains("== latency per hop"), out);
        assertTrue(out.contains("publish->subscriber"), out);
        assertTrue(out.contains("published = sequenced = received = recorded: yes"), out);
        assertTrue(out.contains(": identical"), out);
        assertTrue(out.contains("demo finished"), out);
        assertEquals(before, demoDirs(), "the demo removes every directory it created");
    }

    @Test
    void demoOnARealCaptureWhenPresent()
    {
        final Path tops = Path.of(System.getProperty("tickbus.shared.data", "../shared/data"),
            "iex", "20180127_IEXTP1_TOPS1.6.pcap.gz");
        assumeTrue(Files.isReadable(tops), "IEX sample day not available at " + tops);
        final CliRun run = CliRun.run("demo", "--pcap", tops.toString(), "--venue", "iex-tops", "--quiet",
            "--sequencer-port", "20760");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("published = sequenced = received = recorded: yes"), run.out());
        assertTrue(run.out().contains(": identical"), run.out());
    }

    @Test
    void badOptionsAreUsageErrors()
    {
        assertEquals(2, CliRun.run("demo", "--rate", "0").exitCode());
        assertEquals(2, CliRun.run("demo", "--duration", "soon").exitCode());
        final CliRun missing = CliRun.run("demo", "--pcap", "/nonexistent/capture.pcap");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("not readable"), missing.err());
        assertEquals(2, CliRun.run("demo", "--pcap", "/dev/null", "--venue", "lse").exitCode());
        assertEquals(2, CliRun.run("demo", "--udp-port", "70000").exitCode());
    }

    @Test
    void interruptedDemoStopsAndCleansUp()
    {
        final Set<String> before = demoDirs();
        final CliRun run = CliRun.start("demo", "--duration", "60s", "--rate", "1000",
            "--udp-port", "20742", "--sequencer-port", "20770");
        CliRun.await("demo running", () -> run.out().contains("[demo] simulating") || run.isDone());
        StopSignal.requestAll();
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("interrupted"), run.out());
        assertEquals(before, demoDirs(), "nothing left in /dev/shm after Ctrl-C");
    }
}
