package io.tickbus.tools.multihost;

import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.tickbus.archive.TickbusArchive;
import io.tickbus.tools.TickbusCli;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tickbus.tools.multihost.BusAcrossHostsMultiHostTest.jsonLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An archive on a host of its own recording a multicast feed, and a replica archive on another host that follows
 * it with Aeron Archive replication, each a network namespace with its own stack on one bridge
 * ({@code scripts/netns-up.sh --prefix tba --subnet 10.79.0 --bridge tbabr0}):
 * <pre>
 *   tba-pub 10.79.0.10  tickbus driver + MultiHostPublisher on 239.255.79.1:32001 (interface .10, ttl 1,
 *                       tagged flow control g:79/1: it waits for the archive and never overruns it)
 *   tba-arc 10.79.0.20  tickbus archive --record 'aeron:udp?endpoint=239.255.79.1:32001|interface=10.79.0.20|
 *                       gtag=79':9301 --control-channel aeron:udp?endpoint=10.79.0.20:32010 (control secret on)
 *   tba-rep 10.79.0.21  tickbus archive --replicate-from 10.79.0.20:32010 --replicate-stream 9301
 *                       --replication-channel aeron:udp?endpoint=10.79.0.21:0 (presents the source's secret)
 * </pre>
 * The replica starts replicating as soon as the source's recording exists, before the publisher sends anything, so
 * every message reaches it by following the source's live recording. Both day catalogs ({@code tickbus recordings
 * --json}) must count exactly the messages the publisher reports published. Skipped unless root on Linux with
 * {@code ip netns}; processes, namespaces and directories are removed in {@link #tearDown()} whatever happens.
 * UDP ports 32000-32099.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArchiveReplicationMultiHostTest
{
    private static final String PREFIX = "tba";
    private static final String SUBNET = "10.79.0.";
    private static final String BRIDGE = "tbabr0";
    private static final String PUB = "pub";
    private static final String ARC = "arc";
    private static final String REP = "rep";
    private static final int PUB_OCTET = 10;
    private static final int ARC_OCTET = 20;
    private static final int REP_OCTET = 21;
    private static final String GROUP = "239.255.79.1:32001";
    private static final int CONTROL_PORT = 32010;
    private static final int STREAM = 9301;
    private static final long GROUP_TAG = 79;
    private static final int COUNT = 20_000;
    private static final int RATE = 10_000;
    private static final Pattern RUNNING = Pattern.compile("tickbus archive running");
    private static final Pattern REPLICATING = Pattern.compile("tickbus archive replicating: stream " + STREAM);

    private static Netns netns;
    private static Path logDir;
    private static String pubDriverDir;
    private static final List<HostProcess> PROCESSES = new ArrayList<>();

    @BeforeAll
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    static void setUp() throws IOException
    {
        final String whyNot = Netns.whyUnavailable();
        Assumptions.assumeTrue(null == whyNot, () -> "skipping multi-host archive replication test: " + whyNot);
        logDir = Files.createTempDirectory("tickbus-multihost-arc");
        netns = Netns.upWith(PREFIX, SUBNET, BRIDGE,
            PUB + ":" + PUB_OCTET, ARC + ":" + ARC_OCTET, REP + ":" + REP_OCTET);
    }

    @AfterAll
    static void tearDown()
    {
        for (int i = PROCESSES.size() - 1; i >= 0; i--)
        {
            PROCESSES.get(i).close();
        }
        PROCESSES.clear();
        if (null != pubDriverDir)
        {
            IoUtil.delete(new File(pubDriverDir), true);
            pubDriverDir = null;
        }
        if (null != netns)
        {
            netns.down();
            netns = null;
        }
        if (null != logDir)
        {
            IoUtil.delete(logDir.toFile(), true);
            logDir = null;
        }
    }

    @Test
    void replicaArchiveOnAnotherHostFollowsTheArchiveHost() throws IOException
    {
        final String sourceSecret = UUID.randomUUID().toString();
        final Path arcDir = logDir.resolve("arc-archive");
        final Path repDir = logDir.resolve("rep-archive");

        final String recorded = new ChannelUriStringBuilder().media("udp").endpoint(GROUP)
            .networkInterface(netns.address(ARC_OCTET)).groupTag(GROUP_TAG).build();
        final HostProcess archive = start(ARC, "archive", Map.of(TickbusArchive.Configuration.SECRET_ENV, sourceSecret),
            "archive", "--dir", arcDir.toString(), "--record", recorded + ":" + STREAM,
            "--control-channel", udp(ARC_OCTET, CONTROL_PORT),
            "--replication-channel", udp(ARC_OCTET, 0), "--duration", "100s");
        awaitLine(archive, RUNNING, 45);

        // The replica has a control secret of its own and presents the source's to the source.
        final HostProcess replica = start(REP, "archive", Map.of(
            TickbusArchive.Configuration.SECRET_ENV, UUID.randomUUID().toString(),
            TickbusArchive.Configuration.SOURCE_SECRET_ENV, sourceSecret),
            "archive", "--dir", repDir.toString(), "--control-channel", "none",
            "--replicate-from", netns.address(ARC_OCTET) + ":" + CONTROL_PORT,
            "--replicate-stream", Integer.toString(STREAM),
            "--replication-channel", udp(REP_OCTET, 0), "--replicate-timeout", "60s", "--duration", "100s");

        pubDriverDir = "/dev/shm/tickbus-net3-pub-" + ProcessHandle.current().pid();
        final HostProcess driver = start(PUB, "driver", Map.of(), "driver", "--dir", pubDriverDir);
        final long driverDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
        while (!CommonContext.isDriverActive(new File(pubDriverDir), 1_000, (msg) -> { }))
        {
            assertTrue(driver.isAlive(), () -> "driver on pub exited:\n" + driver.output());
            assertTrue(System.nanoTime() - driverDeadline < 0, () -> "driver on pub not up:\n" + driver.output());
            sleep(100);
        }
        final Path goFile = logDir.resolve("go");
        final String pubChannel = new ChannelUriStringBuilder().media("udp").endpoint(GROUP)
            .networkInterface(netns.address(PUB_OCTET)).ttl(1).taggedFlowControl(GROUP_TAG, 1, null).build();
        final HostProcess publisher = HostProcess.start(netns.namespaceOf(PUB), logDir, "pub-publisher", Map.of(),
            List.of(), MultiHostPublisher.class.getName(), "--driver-dir", pubDriverDir, "--channel", pubChannel,
            "--stream", Integer.toString(STREAM), "--count", Integer.toString(COUNT), "--rate", Integer.toString(RATE),
            "--go-file", goFile.toString(), "--linger", "60s");
        PROCESSES.add(publisher);

        // The source's recording exists once the publisher is connected; the replica then starts following it.
        final String replicating = awaitLine(replica, REPLICATING, 60);
        Files.createFile(goFile);
        final String published = awaitLine(publisher, Pattern.compile("^\\{.*\"published\".*$"), 60);
        assertEquals(COUNT, jsonLong(published, "published"), published);

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        long arcMessages;
        long repMessages;
        while (true)
        {
            arcMessages = catalogMessages(arcDir);
            repMessages = catalogMessages(repDir);
            if (COUNT == arcMessages && COUNT == repMessages)
            {
                break;
            }
            assertTrue(archive.isAlive(), () -> "archive host's archive exited:\n" + archive.output());
            assertTrue(replica.isAlive(), () -> "replica exited:\n" + replica.output());
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("catalogs: archive host " + arcMessages + ", replica " + repMessages +
                    " of " + COUNT + "\n--- archive\n" + archive.output() + "\n--- replica\n" + replica.output());
            }
            sleep(250);
        }
        System.out.printf("multihost archive replication: %s; %s; %d published, archive host catalog %d, " +
            "replica %d%n", replicating, awaitLine(archive, RUNNING, 1), COUNT, arcMessages, repMessages);
    }

    private static String udp(final int octet, final int port)
    {
        return new ChannelUriStringBuilder().media("udp").endpoint(netns.address(octet) + ":" + port).build();
    }

    private static HostProcess start(
        final String host, final String label, final Map<String, String> env, final String... args)
    {
        final HostProcess process = HostProcess.start(
            netns.namespaceOf(host), logDir, host + "-" + label, env, List.of(), TickbusCli.class.getName(), args);
        PROCESSES.add(process);
        return process;
    }

    /** Messages of {@link #STREAM} over every day in the archive's catalog, from {@code tickbus recordings --json}. */
    private static long catalogMessages(final Path archiveDir)
    {
        if (!Files.isDirectory(archiveDir))
        {
            return -1;
        }
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = TickbusCli.execute(new PrintWriter(out), new PrintWriter(err),
            "recordings", "--dir", archiveDir.toString(), "--json");
        if (0 != exit)
        {
            return -1; // the running archive has not written its first catalog yet
        }
        long messages = 0;
        final Matcher m = Pattern.compile("\"stream\":(\\d+),\"messages\":(\\d+)").matcher(out.toString());
        while (m.find())
        {
            if (STREAM == Integer.parseInt(m.group(1)))
            {
                messages += Long.parseLong(m.group(2));
            }
        }
        return messages;
    }

    private static String awaitLine(final HostProcess process, final Pattern pattern, final long timeoutS)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (true)
        {
            for (final String line : process.output().split("\n"))
            {
                if (pattern.matcher(line).find())
                {
                    return line.trim();
                }
            }
            assertTrue(process.isAlive(), () -> process + " exited:\n" + process.output());
            if (System.nanoTime() - deadline > 0)
            {
                final StringBuilder sb = new StringBuilder();
                PROCESSES.forEach((p) -> sb.append("--- ").append(p).append('\n').append(p.output()));
                throw new AssertionError(process + " printed no '" + pattern + "' in " + timeoutS + " s\n" + sb);
            }
            sleep(50);
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
