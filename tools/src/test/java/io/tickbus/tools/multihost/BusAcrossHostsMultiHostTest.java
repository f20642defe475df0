package io.tickbus.tools.multihost;

import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.driver.status.SystemCounterDescriptor;
import io.aeron.driver.status.SubscriberPos;
import io.tickbus.tools.stat.CncCounters;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bus across three hosts, each a network namespace with its own stack and its own standalone
 * {@code tickbus driver}, on one bridge ({@code scripts/netns-up.sh}): a publisher host (10.77.0.10) and two
 * subscriber hosts (10.77.0.21, .22) running {@code tickbus subscribe --summary} as separate processes.
 * <ul>
 *     <li>UDP multicast delivers every message to both subscribers;</li>
 *     <li>so does multi-destination cast (dynamic control mode) to the same two hosts;</li>
 *     <li>with 5% loss on one subscriber's link, that subscriber still gets every message (NAK recovery: its
 *     driver sends NAKs, the publisher's retransmits), and the other, the one in the flow-control group,
 *     finishes in its own time.</li>
 * </ul>
 * Flow control is Aeron's tagged strategy: the receivers that must not lose data carry the group tag
 * ({@code gtag=77}) and the publisher waits for them and never overruns them; an untagged receiver never throttles
 * the feed (docs/deployment.md). Skipped unless root on Linux with {@code ip netns}; the namespaces are removed
 * in {@link #tearDown()} whatever happens. UDP ports 49000-49099.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class BusAcrossHostsMultiHostTest
{
    private static final String PUB = "pub";
    private static final String SUB1 = "sub1";
    private static final String SUB2 = "sub2";
    private static final Map<String, String> ADDRESS = Map.of(
        PUB, Netns.SUBNET + "10", SUB1, Netns.SUBNET + "21", SUB2, Netns.SUBNET + "22");
    private static final long GROUP_TAG = 77;
    private static final long RUN_TIMEOUT_S = 90;

    private static Netns netns;
    private static Path logDir;
    private static final Map<String, HostProcess> DRIVERS = new LinkedHashMap<>();
    private static final Map<String, String> DRIVER_DIRS = new LinkedHashMap<>();

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    static void setUp() throws IOException
    {
        final String whyNot = Netns.whyUnavailable();
        Assumptions.assumeTrue(null == whyNot, () -> "skipping multi-host tests: " + whyNot);
        logDir = Files.createTempDirectory("tickbus-multihost");
        netns = Netns.up(PUB + ":10", SUB1 + ":21", SUB2 + ":22");
        for (final String host : List.of(PUB, SUB1, SUB2))
        {
            final String dir = "/dev/shm/tickbus-net-" + host + "-" + ProcessHandle.current().pid();
            DRIVER_DIRS.put(host, dir);
            DRIVERS.put(host, HostProcess.tickbus(host, logDir, "driver", "driver", "--dir", dir));
        }
        for (final Map.Entry<String, String> e : DRIVER_DIRS.entrySet())
        {
            final HostProcess driver = DRIVERS.get(e.getKey());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!CommonContext.isDriverActive(new File(e.getValue()), 1_000, (msg) -> { }))
            {
                assertTrue(driver.isAlive(), () -> "driver on " + e.getKey() + " exited:\n" + driver.output());
                assertTrue(System.nanoTime() - deadline < 0, () -> "driver on " + e.getKey() + " not up:\n" +
                    driver.output());
                sleep(100);
            }
        }
    }

    @AfterAll
    static void tearDown()
    {
        for (final HostProcess driver : DRIVERS.values())
        {
            driver.close();
        }
        DRIVERS.clear();
        for (final String dir : DRIVER_DIRS.values())
        {
            IoUtil.delete(new File(dir), true);
        }
        DRIVER_DIRS.clear();
        if (null != netns)
        {
            netns.down();
            netns = null;
        }
        if (null != logDir)
        {
            IoUtil.delete(logDir.toFile(), true);
        }
    }

    @Test
    void multicastDeliversEveryMessageToBothSubscriberHosts()
    {
        final int streamId = 9101;
        final String group = "239.255.77.1:49001";
        final String pubChannel = multicast(group, PUB).ttl(1).taggedFlowControl(GROUP_TAG, 2, null).build();
        final Run run = deliver("multicast", streamId, 20_000, 20_000, pubChannel,
            multicast(group, SUB1).groupTag(GROUP_TAG).build(), multicast(group, SUB2).groupTag(GROUP_TAG).build());
        run.assertComplete(20_000);
    }

    @Test
    void multiDestinationCastDeliversEveryMessageToBothSubscriberHosts()
    {
        final int streamId = 9102;
        final String control = ADDRESS.get(PUB) + ":49010";
        final String pubChannel = new ChannelUriStringBuilder().media("udp").controlEndpoint(control)
            .controlMode(CommonContext.MDC_CONTROL_MODE_DYNAMIC).taggedFlowControl(GROUP_TAG, 2, null).build();
        final Run run = deliver("mdc", streamId, 20_000, 20_000, pubChannel,
            mdcSubscriber(control, SUB1), mdcSubscriber(control, SUB2));
        run.assertComplete(20_000);
    }

    @Test
    void subscriberBehindALossyLinkRecoversByNakWithoutSlowingTheOther()
    {
        final String mechanism = netns.lossMechanism();
        Assumptions.assumeTrue(null != mechanism, "no tc netem and no nft: cannot make a link lossy here");

        final int streamId = 9103;
        final String group = "239.255.77.3:49003";
        // sub1 is in the flow-control group (it stands for the archive: must not lose); sub2 is a strategy host
        // outside it, so its lossy link can never hold the publisher back.
        final String pubChannel = multicast(group, PUB).ttl(1).taggedFlowControl(GROUP_TAG, 1, null).build();
        final long naksBefore = systemCounter(SUB2, SystemCounterDescriptor.NAK_MESSAGES_SENT);
        final long retransmitsBefore = systemCounter(PUB, SystemCounterDescriptor.RETRANSMITS_SENT);
        netns.link(SUB2, "loss", "5");
        try
        {
            final Run run = deliver("loss", streamId, 20_000, 10_000, pubChannel,
                multicast(group, SUB1).groupTag(GROUP_TAG).build(), multicast(group, SUB2).build());
            run.assertComplete(20_000);

            final long naks = systemCounter(SUB2, SystemCounterDescriptor.NAK_MESSAGES_SENT) - naksBefore;
            final long retransmits = systemCounter(PUB, SystemCounterDescriptor.RETRANSMITS_SENT) - retransmitsBefore;
            assertTrue(naks > 0, "the lossy subscriber's driver sent no NAK: was the link lossy? (" + mechanism + ")");
            assertTrue(retransmits > 0, "the publisher's driver retransmitted nothing");

            // Not slowed: the clean subscriber is done within a generous bound of the publisher's own time (the
            // publisher is paced at 10k/s, so about 2 s); the lossy one may take longer, it need not.
            final long cleanS = TimeUnit.NANOSECONDS.toSeconds(run.completionNs.get(SUB1));
            assertTrue(cleanS < 30, "clean subscriber took " + cleanS + " s");
            System.out.printf("multihost loss (%s): publisher %.1f ms, clean %.1f ms, lossy %.1f ms, NAKs %d, " +
                "retransmits %d%n", mechanism, run.publisherElapsedNs / 1e6, run.completionNs.get(SUB1) / 1e6,
                run.completionNs.get(SUB2) / 1e6, naks, retransmits);
        }
        finally
        {
            netns.link(SUB2, "clear");
        }
    }

    private static ChannelUriStringBuilder multicast(final String group, final String host)
    {
        return new ChannelUriStringBuilder().media("udp").endpoint(group).networkInterface(ADDRESS.get(host));
    }

    private static String mdcSubscriber(final String control, final String host)
    {
        return new ChannelUriStringBuilder().media("udp").endpoint(ADDRESS.get(host) + ":49011")
            .controlEndpoint(control).controlMode(CommonContext.MDC_CONTROL_MODE_DYNAMIC).groupTag(GROUP_TAG).build();
    }

    /**
     * Start the publisher and both subscribers, wait until both subscriber hosts have an image of the stream, let
     * the publisher go, and wait for the subscribers to finish.
     */
    private Run deliver(
        final String label,
        final int streamId,
        final int count,
        final int rate,
        final String pubChannel,
        final String sub1Channel,
        final String sub2Channel)
    {
        final Path goFile = logDir.resolve(label + ".go");
        final List<HostProcess> processes = new ArrayList<>();
        try
        {
            final HostProcess publisher = HostProcess.java(PUB, logDir, label + "-pub",
                MultiHostPublisher.class.getName(), "--driver-dir", DRIVER_DIRS.get(PUB), "--channel", pubChannel,
                "--stream", Integer.toString(streamId), "--count", Integer.toString(count),
                "--rate", Integer.toString(rate), "--go-file", goFile.toString(), "--linger", "60s");
            processes.add(publisher);
            final Map<String, HostProcess> subscribers = new LinkedHashMap<>();
            subscribers.put(SUB1, subscribe(label, SUB1, sub1Channel, streamId, count));
            subscribers.put(SUB2, subscribe(label, SUB2, sub2Channel, streamId, count));
            processes.addAll(subscribers.values());

            for (final String host : subscribers.keySet())
            {
                awaitImage(host, streamId, processes);
            }
            Files.createFile(goFile);
            final long goNs = System.nanoTime();

            final Run run = new Run(label);
            for (final Map.Entry<String, HostProcess> e : subscribers.entrySet())
            {
                final HostProcess sub = e.getValue();
                assertEquals(0, sub.awaitExit(RUN_TIMEOUT_S), () -> sub + " failed:\n" + sub.output());
                run.summaries.put(e.getKey(), sub.lastJsonLine());
                run.completionNs.put(e.getKey(), sub.exitNs() - goNs);
            }
            final String published = awaitJson(publisher);
            assertEquals(count, jsonLong(published, "published"), published);
            run.publisherElapsedNs = jsonLong(published, "elapsedNs");
            System.out.printf("multihost %s: %d messages at %d/s, publisher %.1f ms, %s%n", label, count, rate,
                run.publisherElapsedNs / 1e6, run.completionNs);
            return run;
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
        finally
        {
            for (final HostProcess process : processes)
            {
                process.close();
            }
        }
    }

    private static HostProcess subscribe(
        final String label, final String host, final String channel, final int streamId, final int count)
    {
        return HostProcess.tickbus(host, logDir, label + "-subscribe", "subscribe", "--channel", channel,
            "--stream", Integer.toString(streamId), "--count", Integer.toString(count), "--duration",
            RUN_TIMEOUT_S + "s", "--summary", "--driver-dir", DRIVER_DIRS.get(host));
    }

    /** Wait until the host's driver has a subscriber position for the stream: the host has joined it. */
    private static void awaitImage(final String host, final int streamId, final List<HostProcess> processes)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        final Pattern label = Pattern.compile("^sub-pos: \\d+ -?\\d+ " + streamId + " ");
        while (true)
        {
            try (CncCounters cnc = CncCounters.open(DRIVER_DIRS.get(host)))
            {
                if (cnc.snapshot().stream().anyMatch((c) -> c.typeId() == SubscriberPos.SUBSCRIBER_POSITION_TYPE_ID &&
                    label.matcher(c.label()).find()))
                {
                    return;
                }
            }
            for (final HostProcess process : processes)
            {
                assertTrue(process.isAlive(), () -> process + " exited early:\n" + process.output());
            }
            if (System.nanoTime() - deadline > 0)
            {
                final StringBuilder sb = new StringBuilder();
                processes.forEach((p) -> sb.append("--- ").append(p).append('\n').append(p.output()));
                throw new AssertionError(host + " never joined stream " + streamId + "\n" + sb);
            }
            sleep(20);
        }
    }

    private static long systemCounter(final String host, final SystemCounterDescriptor descriptor)
    {
        try (CncCounters cnc = CncCounters.open(DRIVER_DIRS.get(host)))
        {
            return cnc.snapshot().stream()
                .filter((c) -> c.typeId() == SystemCounterDescriptor.SYSTEM_COUNTER_TYPE_ID &&
                    c.label().startsWith(descriptor.label()))
                .mapToLong(CncCounters.Counter::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no counter '" + descriptor.label() + "' on " + host));
        }
    }

    private static String awaitJson(final HostProcess process)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_TIMEOUT_S);
        String json;
        while (null == (json = process.lastJsonLine()))
        {
            assertTrue(process.isAlive(), () -> process + " exited:\n" + process.output());
            assertTrue(System.nanoTime() - deadline < 0, () -> process + " printed no summary:\n" + process.output());
            sleep(20);
        }
        return json;
    }

    static long jsonLong(final String json, final String name)
    {
        assertNotNull(json, "no JSON line");
        final Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?\\d+)").matcher(json);
        assertTrue(m.find(), () -> "no field " + name + " in " + json);
        return Long.parseLong(m.group(1));
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

    /** What one delivery run produced. */
    private static final class Run
    {
        final String label;
        final Map<String, String> summaries = new LinkedHashMap<>();
        final Map<String, Long> completionNs = new LinkedHashMap<>();
        long publisherElapsedNs;

        Run(final String label)
        {
            this.label = label;
        }

        /**
         * Every subscriber got messages 1..count, each once and in order: checked from its own summary (global
         * sequences as the publisher numbered them, gaps and duplicates as SequenceAccounting counted them).
         */
        void assertComplete(final long count)
        {
            for (final Map.Entry<String, String> e : summaries.entrySet())
            {
                final String json = e.getValue();
                final String what = label + " " + e.getKey() + ": " + json;
                assertEquals(count, jsonLong(json, "messages"), what);
                assertEquals(count, jsonLong(json, "Trade"), what);
                assertEquals(1, jsonLong(json, "firstGlobalSeq"), what);
                assertEquals(count, jsonLong(json, "lastGlobalSeq"), what);
                assertEquals(0, jsonLong(json, "gaps"), what);
                assertEquals(0, jsonLong(json, "duplicates"), what);
            }
        }
    }
}
