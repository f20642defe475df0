package io.tickbus.tools.multihost;

import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.driver.status.SubscriberPos;
import io.tickbus.sequencer.FeedCredentials;
import io.tickbus.sequencer.SequencerCounters;
import io.tickbus.sequencer.client.SequencerClient;
import io.tickbus.tools.TickbusCli;
import io.tickbus.tools.stat.CncCounters;
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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.tickbus.tools.multihost.BusAcrossHostsMultiHostTest.jsonLong;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequencer cluster on three hosts, each a network namespace with its own stack, on one bridge
 * ({@code scripts/netns-up.sh --prefix tbs --subnet 10.78.0 --bridge tbsbr0}):
 * <pre>
 *   tbs-feed 10.78.0.10   tickbus feed --sequenced (embedded driver), client egress on 10.78.0.10:35200
 *   tbs-s0   10.78.0.11   tickbus sequencer --member-id 0   (ports 35000..35004)
 *   tbs-s1   10.78.0.12   tickbus sequencer --member-id 1
 *   tbs-s2   10.78.0.13   tickbus sequencer --member-id 2
 *   tbs-sub  10.78.0.21   tickbus driver + tickbus subscribe --summary on 239.255.78.1:35100 stream 2000
 * </pre>
 * The cluster elects; the feed replays a simulated ITCH capture through it; once the leader has sequenced a
 * quarter, the leader's cable is cut ({@code netns-loss.sh HOST down}). One of the other two must be elected, the
 * feed must be fully acknowledged, and the subscriber must see global sequences 1..N with no gap, N being the
 * Tickbus messages the capture holds (from {@code tickbus parse}: every ITCH type the simulator writes maps to
 * exactly one Tickbus message, docs/feed-handlers.md). The new leader republishes its retained tail, so the
 * subscriber's {@code duplicates} count the repeats it drops: what it delivers after de-duplication is exactly N.
 * Then the cable goes back in: the old leader must come back as a follower and catch up to N.
 * <p>
 * Skipped unless root on Linux with {@code ip netns}; namespaces, processes and directories are removed in
 * {@link #tearDown()} whatever happens. UDP ports 35000-35999.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SequencerAcrossHostsMultiHostTest
{
    private static final String PREFIX = "tbs";
    private static final String SUBNET = "10.78.0.";
    private static final String BRIDGE = "tbsbr0";
    private static final String FEED = "feed";
    private static final String SUB = "sub";
    private static final String[] MEMBER_HOSTS = {"s0", "s1", "s2"};
    private static final int[] MEMBER_OCTETS = {11, 12, 13};
    private static final int FEED_OCTET = 10;
    private static final int SUB_OCTET = 21;
    private static final int PORT_BASE = 35000;
    private static final int EGRESS_PORT = 35200;
    private static final String GROUP = "239.255.78.1:35100";
    private static final int SEQUENCED_STREAM = 2000;
    private static final int FEED_ID = 7;
    /** Every ITCH type the simulator writes; each gives one Tickbus message (docs/feed-handlers.md). */
    private static final Set<String> ONE_TO_ONE = Set.of("S", "R", "H", "A", "F", "E", "C", "X", "D", "U", "P");
    private static final Pattern ROLE = Pattern.compile("tickbus sequencer member=(\\d) role=(\\w+)");

    private static Netns netns;
    private static Path logDir;
    private static Path capture;
    private static String secret;
    private static String members;
    private static final List<HostProcess> PROCESSES = new ArrayList<>();
    private static final HostProcess[] MEMBERS = new HostProcess[3];
    private static final String[] MEMBER_DIRS = new String[3];
    private static String subDriverDir;

    @BeforeAll
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    static void setUp() throws IOException
    {
        final String whyNot = Netns.whyUnavailable();
        Assumptions.assumeTrue(null == whyNot, () -> "skipping multi-host sequencer test: " + whyNot);
        logDir = Files.createTempDirectory("tickbus-multihost-seq");
        netns = Netns.upWith(PREFIX, SUBNET, BRIDGE, FEED + ":" + FEED_OCTET, MEMBER_HOSTS[0] + ":" + MEMBER_OCTETS[0],
            MEMBER_HOSTS[1] + ":" + MEMBER_OCTETS[1], MEMBER_HOSTS[2] + ":" + MEMBER_OCTETS[2], SUB + ":" + SUB_OCTET);

        // The capture: about 5 s of simulated ITCH order flow (written in real time), made while the cluster starts.
        capture = logDir.resolve("itch-sim.pcap");
        final HostProcess simulate = start(FEED, "simulate", Map.of(), List.of(),
            "simulate", "--venue", "itch5", "--count", "4000", "--rate", "800", "--seed", "78",
            "--to", capture.toString());

        secret = UUID.randomUUID().toString();
        final StringBuilder sb = new StringBuilder();
        for (final int octet : MEMBER_OCTETS)
        {
            sb.append(sb.length() > 0 ? "," : "").append(netns.address(octet)).append(':').append(PORT_BASE);
        }
        members = sb.toString();
        for (int i = 0; i < 3; i++)
        {
            MEMBER_DIRS[i] = "/dev/shm/tickbus-net2-" + MEMBER_HOSTS[i] + "-" + ProcessHandle.current().pid();
            final String sequenced = new ChannelUriStringBuilder().media("udp").endpoint(GROUP)
                .networkInterface(netns.address(MEMBER_OCTETS[i])).ttl(1).build();
            MEMBERS[i] = start(MEMBER_HOSTS[i], "sequencer",
                Map.of(FeedCredentials.ENV_INLINE, FEED_ID + "=" + secret), List.of(),
                "sequencer", "--member-id", Integer.toString(i), "--members", members, "--dir", MEMBER_DIRS[i],
                "--sequenced-channel", sequenced, "--sequenced-stream", Integer.toString(SEQUENCED_STREAM),
                "--leader-timeout", "2s", "--fresh");
        }
        subDriverDir = "/dev/shm/tickbus-net2-sub-" + ProcessHandle.current().pid();
        final HostProcess subDriver = start(SUB, "driver", Map.of(), List.of(), "driver", "--dir", subDriverDir);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
        while (!CommonContext.isDriverActive(new File(subDriverDir), 1_000, (msg) -> { }))
        {
            assertTrue(subDriver.isAlive(), () -> "driver on sub exited:\n" + subDriver.output());
            assertTrue(System.nanoTime() - deadline < 0, () -> "driver on sub not up:\n" + subDriver.output());
            sleep(100);
        }
        assertEquals(0, simulate.awaitExit(40), () -> "simulate failed:\n" + simulate.output());
    }

    @AfterAll
    static void tearDown()
    {
        for (int i = PROCESSES.size() - 1; i >= 0; i--)
        {
            PROCESSES.get(i).close();
        }
        PROCESSES.clear();
        for (int i = 0; i < 3; i++)
        {
            if (null != MEMBER_DIRS[i])
            {
                IoUtil.delete(new File(MEMBER_DIRS[i]), true);
                MEMBER_DIRS[i] = null;
            }
        }
        if (null != subDriverDir)
        {
            IoUtil.delete(new File(subDriverDir), true);
            subDriverDir = null;
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
    void clusterElectsSequencesSurvivesLeaderCutOffAndHeals()
    {
        final long expected = expectedMessages();

        final int leader = awaitLeader(-1, 0, 45);
        System.out.printf("multihost sequencer: member %d (%s) elected leader%n", leader, MEMBER_HOSTS[leader]);

        // Subscriber first, and joined to every member's sequenced publication (one image per member host).
        final String subChannel = new ChannelUriStringBuilder().media("udp").endpoint(GROUP)
            .networkInterface(netns.address(SUB_OCTET)).build();
        final HostProcess subscriber = start(SUB, "subscribe", Map.of(), List.of(),
            "subscribe", "--channel", subChannel, "--stream", Integer.toString(SEQUENCED_STREAM),
            "--duration", "90s", "--summary", "--driver-dir", subDriverDir);
        awaitImages(3, subscriber);

        final String egress = new ChannelUriStringBuilder().media("udp")
            .endpoint(netns.address(FEED_OCTET) + ":" + EGRESS_PORT).build();
        final HostProcess feed = start(FEED, "feed", Map.of(SequencerClient.Context.SECRET_ENV, secret),
            List.of("-D" + SequencerClient.Context.EGRESS_CHANNEL_PROP + "=" + egress),
            "feed", "--venue", "itch5", "--from", capture.toString(), "--speed", "0.4",
            "--channel", "aeron:ipc", "--stream", "1001", "--feed-id", Integer.toString(FEED_ID),
            "--sequenced", "--members", members, "--embedded-driver");

        // Cut the leader's cable once it has sequenced a quarter of the feed.
        final long atCut = awaitGlobalSeq(leader, expected / 4, 45, feed);
        final int[] rolesBefore = roleLineCounts();
        final long cutNs = System.nanoTime();
        netns.link(MEMBER_HOSTS[leader], "down");

        final int newLeader = awaitLeader(leader, rolesBefore, 30);
        final long electedNs = System.nanoTime();
        assertNotEquals(leader, newLeader);
        awaitGlobalSeq(newLeader, globalSeq(leader) + 1, 30, feed);
        final long resumedNs = System.nanoTime();
        System.out.printf("multihost sequencer: cut %s at globalSeq %d; member %d (%s) leader after %.0f ms, " +
            "sequencing past the old leader after %.0f ms%n", MEMBER_HOSTS[leader], atCut, newLeader,
            MEMBER_HOSTS[newLeader], (electedNs - cutNs) / 1e6, (resumedNs - cutNs) / 1e6);

        assertEquals(0, feed.awaitExit(60), () -> "feed failed:\n" + feed.output());
        assertFalse(feed.output().contains("not acknowledged"), feed::output);
        final long doneNs = System.nanoTime();
        for (int i = 0; i < 3; i++)
        {
            if (i != leader)
            {
                awaitGlobalSeq(i, expected, 20, feed);
                assertEquals(expected, globalSeq(i), "member " + i + " sequenced more than the feed sent");
            }
        }

        // Heal: the old leader comes back as a follower of the new one and catches up.
        final int[] rolesAtHeal = roleLineCounts();
        final long healNs = System.nanoTime();
        netns.link(MEMBER_HOSTS[leader], "up");
        awaitGlobalSeq(leader, expected, 40, feed);
        final long caughtUpNs = System.nanoTime();
        awaitRole(leader, "FOLLOWER", 20);
        assertEquals("LEADER", lastRole(newLeader), () -> "leadership moved on heal:\n" + MEMBERS[newLeader].output());
        System.out.printf("multihost sequencer: feed done %.0f ms after the cut; old leader back as FOLLOWER, " +
            "caught up to %d %.0f ms after the link came up (its roles: %s while cut, %s after heal)%n",
            (doneNs - cutNs) / 1e6, expected, (caughtUpNs - healNs) / 1e6,
            roles(leader).subList(rolesBefore[leader], rolesAtHeal[leader]),
            roleLinesSince(leader, rolesAtHeal[leader]));

        // Let the subscriber drain, then stop it (SIGTERM) for its summary.
        sleep(2_000);
        subscriber.close();
        final String summary = subscriber.lastJsonLine();
        System.out.printf("multihost sequencer: subscriber %s%n", summary);
        assertEquals(1, jsonLong(summary, "firstGlobalSeq"), summary);
        assertEquals(expected, jsonLong(summary, "lastGlobalSeq"), summary);
        assertEquals(0, jsonLong(summary, "gaps"), summary);
        final long duplicates = jsonLong(summary, "duplicates");
        assertEquals(expected, jsonLong(summary, "messages") - duplicates, "delivered once each: " + summary);
        // Every member publishes its own copy: at most one repeat per message from each of the other two.
        assertTrue(duplicates <= 2 * expected, "more repeats than two other members could send: " + summary);
        assertEquals(0, counter(newLeader, SequencerCounters.UNPUBLISHED_EVICTED));
    }

    /** Tickbus messages the capture makes, counted from {@code tickbus parse} by ITCH type. */
    private static long expectedMessages()
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exit = TickbusCli.execute(new PrintWriter(out), new PrintWriter(err),
            "parse", "--venue", "itch5", "--summary", capture.toString());
        assertEquals(0, exit, err::toString);
        final String json = out.toString().trim();
        assertEquals(0, jsonLong(json, "malformed"), json);
        final Matcher byType = Pattern.compile("\"byType\":\\{([^}]*)}").matcher(json);
        assertTrue(byType.find(), json);
        long total = 0;
        final Matcher entry = Pattern.compile("\"(\\w)\":(\\d+)").matcher(byType.group(1));
        while (entry.find())
        {
            assertTrue(ONE_TO_ONE.contains(entry.group(1)), "unexpected ITCH type " + entry.group(1) + ": " + json);
            total += Long.parseLong(entry.group(2));
        }
        assertEquals(jsonLong(json, "messages"), total, json);
        return total;
    }

    private static HostProcess start(
        final String host,
        final String label,
        final Map<String, String> env,
        final List<String> jvmOptions,
        final String... args)
    {
        final HostProcess process = HostProcess.start(
            netns.namespaceOf(host), logDir, host + "-" + label, env, jvmOptions, TickbusCli.class.getName(), args);
        PROCESSES.add(process);
        return process;
    }

    /**
     * Wait until a member other than {@code excluded} reports role LEADER in a line printed after {@code from}
     * role lines of its own.
     */
    private static int awaitLeader(final int excluded, final int[] from, final long timeoutS)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (true)
        {
            for (int i = 0; i < 3; i++)
            {
                if (i != excluded && roleLinesSince(i, null == from ? 0 : from[i]).contains("LEADER"))
                {
                    return i;
                }
                final HostProcess member = MEMBERS[i];
                assertTrue(member.isAlive(), () -> member + " exited:\n" + member.output());
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("no leader elected in " + timeoutS + " s\n" + membersOutput());
            }
            sleep(20);
        }
    }

    private static int awaitLeader(final int excluded, final int from, final long timeoutS)
    {
        return awaitLeader(excluded, new int[]{from, from, from}, timeoutS);
    }

    private static void awaitRole(final int member, final String role, final long timeoutS)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (!role.equals(lastRole(member)))
        {
            assertTrue(System.nanoTime() - deadline < 0, () -> "member " + member + " not " + role + " in " +
                timeoutS + " s\n" + MEMBERS[member].output());
            sleep(20);
        }
    }

    private static int[] roleLineCounts()
    {
        final int[] counts = new int[3];
        for (int i = 0; i < 3; i++)
        {
            counts[i] = roles(i).size();
        }
        return counts;
    }

    private static List<String> roleLinesSince(final int member, final int from)
    {
        final List<String> roles = roles(member);
        return roles.subList(Math.min(from, roles.size()), roles.size());
    }

    private static String lastRole(final int member)
    {
        final List<String> roles = roles(member);
        return roles.isEmpty() ? null : roles.get(roles.size() - 1);
    }

    /** @return the roles a member has reported, in order, from its own output. */
    private static List<String> roles(final int member)
    {
        final List<String> roles = new ArrayList<>();
        final Matcher m = ROLE.matcher(MEMBERS[member].output());
        while (m.find())
        {
            assertEquals(member, Integer.parseInt(m.group(1)));
            roles.add(m.group(2));
        }
        return roles;
    }

    private static long awaitGlobalSeq(final int member, final long atLeast, final long timeoutS, final HostProcess feed)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        long value;
        while ((value = globalSeq(member)) < atLeast)
        {
            final long seen = value;
            assertTrue(System.nanoTime() - deadline < 0, () -> "member " + member + " at globalSeq " + seen +
                ", not " + atLeast + " in " + timeoutS + " s\n" + membersOutput() + "--- feed\n" + feed.output());
            sleep(20);
        }
        return value;
    }

    private static long globalSeq(final int member)
    {
        return counter(member, SequencerCounters.GLOBAL_SEQ);
    }

    /** A sequencer counter of a member, read from its media driver's CnC file (shared memory, seen from here). */
    private static long counter(final int member, final int typeId)
    {
        try (CncCounters cnc = CncCounters.open(MEMBER_DIRS[member] + "/driver"))
        {
            return cnc.snapshot().stream()
                .filter((c) -> c.typeId() == typeId)
                .mapToLong(CncCounters.Counter::value)
                .findFirst()
                .orElse(0L);
        }
    }

    /** Wait until the subscriber host's driver has an image of the sequenced stream from {@code images} members. */
    private static void awaitImages(final int images, final HostProcess subscriber)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        final Pattern label = Pattern.compile("^sub-pos: \\d+ -?\\d+ " + SEQUENCED_STREAM + " ");
        long found = 0;
        while (found < images)
        {
            try (CncCounters cnc = CncCounters.open(subDriverDir))
            {
                found = cnc.snapshot().stream().filter((c) -> c.typeId() == SubscriberPos.SUBSCRIBER_POSITION_TYPE_ID &&
                    label.matcher(c.label()).find()).count();
            }
            assertTrue(subscriber.isAlive(), () -> "subscriber exited:\n" + subscriber.output());
            final long seen = found;
            assertTrue(System.nanoTime() - deadline < 0, () -> "subscriber host has " + seen + " of " + images +
                " member images\n" + membersOutput() + "--- subscriber\n" + subscriber.output());
            sleep(20);
        }
    }

    private static String membersOutput()
    {
        final StringBuilder sb = new StringBuilder();
        for (final HostProcess member : MEMBERS)
        {
            sb.append("--- ").append(member).append('\n').append(member.output());
        }
        return sb.toString();
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
