package io.tickbus.sequencer;

import io.aeron.Aeron;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.sequencer.client.SequencerClient;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tickbus.sequencer.SequencerClusterTest.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three members as separate processes ({@link SequencerMain}); the leader is killed with SIGKILL mid-stream, as a
 * crash would: a new leader is elected, the feeds continue, and the sequenced stream still carries 1..N exactly
 * once after de-duplication by global sequence. The killed member is brought back and catches up.
 */
@Timeout(240)
class SequencerFailoverProcessTest
{
    private static final String MEMBERS = "127.0.0.1:23200,127.0.0.1:23210,127.0.0.1:23220";
    private static final String SEQUENCED = "aeron:udp?endpoint=127.0.0.1:23290";
    private static final int STREAM = 2000;
    private static final int PER_FEED = 12_000;
    private static final int KILL_AT = 4_000;

    private final Process[] processes = new Process[3];
    private final File[] dirs = new File[3];
    private final File[] logs = new File[3];
    private final List<File> aeronDirs = new ArrayList<>();
    private TickbusDriver clientDriver;
    private Aeron aeron;
    private SequencerTestSupport.Collector collector;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    @BeforeEach
    void setUp()
    {
        for (int i = 0; i < 3; i++)
        {
            dirs[i] = new File(TickbusDriver.uniqueEmbeddedDir("seq-proc-" + i));
            logs[i] = new File(dirs[i].getPath() + ".log");
        }
        clientDriver = TickbusDriver.launchEmbedded("seq-proc-client");
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
        collector = new SequencerTestSupport.Collector(aeron, SEQUENCED, STREAM);
    }

    @AfterEach
    void tearDown() throws InterruptedException
    {
        for (final Process process : processes)
        {
            if (null != process && process.isAlive())
            {
                process.destroy();
            }
        }
        for (final Process process : processes)
        {
            if (null != process && !process.waitFor(20, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        CloseHelper.closeAll(collector, aeron, clientDriver);
        for (int i = 0; i < 3; i++)
        {
            IoUtil.delete(dirs[i], true);
            IoUtil.delete(logs[i], true);
        }
        aeronDirs.forEach((dir) -> IoUtil.delete(dir, true));
    }

    private void start(final int memberId, final boolean fresh) throws IOException
    {
        final File aeronDir = new File(dirs[memberId].getPath() + "-driver-" + System.nanoTime());
        aeronDirs.add(aeronDir);
        final String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final ProcessBuilder builder = new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp", classpath,
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Daeron.driver.timeout=5000",
            "-D" + SequencerNode.Context.MEMBER_ID_PROP + "=" + memberId,
            "-D" + SequencerNode.Context.MEMBERS_PROP + "=" + MEMBERS,
            "-D" + SequencerNode.Context.DIR_PROP + "=" + dirs[memberId],
            "-D" + SequencerNode.Context.AERON_DIR_PROP + "=" + aeronDir,
            "-D" + SequencerNode.Context.DELETE_ON_START_PROP + "=" + fresh,
            "-D" + SequencerNode.Context.SEQUENCED_CHANNEL_PROP + "=" + SEQUENCED,
            "-D" + SequencerNode.Context.SEQUENCED_STREAM_PROP + "=" + STREAM,
            "-D" + SequencerNode.Context.LEADER_HEARTBEAT_TIMEOUT_PROP + "=2s",
            SequencerMain.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logs[memberId]));
        builder.environment().put(FeedCredentials.ENV_INLINE, "1=one,2=two");
        processes[memberId] = builder.start();
    }

    private String lastRole(final int memberId)
    {
        try
        {
            if (!logs[memberId].exists())
            {
                return "";
            }
            String role = "";
            for (final String line : Files.readAllLines(logs[memberId].toPath(), StandardCharsets.UTF_8))
            {
                final int at = line.indexOf(" role=");
                if (at >= 0)
                {
                    role = line.substring(at + " role=".length()).trim();
                }
            }
            return role;
        }
        catch (final IOException ex)
        {
            return "";
        }
    }

    private int awaitLeader(final int excluded, final long timeoutS) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (true)
        {
            for (int i = 0; i < 3; i++)
            {
                if (i != excluded && processes[i].isAlive() && "LEADER".equals(lastRole(i)))
                {
                    return i;
                }
            }
            for (int i = 0; i < 3; i++)
            {
                assertTrue(i == excluded || processes[i].isAlive(),
                    "member " + i + " died: " + Files.readString(logs[i].toPath()));
            }
            assertTrue(System.nanoTime() < deadline, "no leader elected");
            sleep(20);
        }
    }

    private SequencerClient client(final int feedId, final String secret)
    {
        return new SequencerClient(new SequencerClient.Context()
            .aeron(aeron)
            .feedId(feedId)
            .secret(secret)
            .ingressEndpoints(ClusterMembers.ingressEndpoints(MEMBERS))
            .messageTimeoutNs(TimeUnit.SECONDS.toNanos(20))
            .backPressure(new BackPressurePolicy(TimeUnit.SECONDS.toNanos(30), BackPressurePolicy.Exhausted.FAIL)));
    }

    @Test
    void leaderKilledMidStreamLosesAndDuplicatesNothingAndRejoins() throws Exception
    {
        for (int i = 0; i < 3; i++)
        {
            start(i, true);
        }
        final long startNs = System.nanoTime();
        final int leader = awaitLeader(-1, 60);
        System.out.println("startup: leader " + leader + " after " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) + " ms");
        final long total = 2L * PER_FEED;
        long killedAtNs = 0;
        int newLeader = -1;

        try (SequencerClient feed1 = client(1, "one"); SequencerClient feed2 = client(2, "two"))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!collector.subscription.isConnected())
            {
                assertTrue(System.nanoTime() < deadline, "sequenced stream not connected");
                sleep(10);
            }
            for (long seq = 1; seq <= PER_FEED; seq++)
            {
                assertTrue(feed1.publish(buffer, 0, SequencerTestSupport.encode(buffer, 1, seq)) > 0);
                assertTrue(feed2.publish(buffer, 0, SequencerTestSupport.encode(buffer, 2, seq)) > 0);
                if (KILL_AT == seq)
                {
                    processes[leader].destroyForcibly();
                    killedAtNs = System.nanoTime();
                }
                if (0 == seq % 40)
                {
                    collector.poll();
                    feed1.doWork();
                    feed2.doWork();
                    sleep(10);
                }
            }
            assertTrue(feed1.awaitAcknowledged(TimeUnit.SECONDS.toNanos(60)), "feed 1: " + feed1.unacknowledged());
            assertTrue(feed2.awaitAcknowledged(TimeUnit.SECONDS.toNanos(60)), "feed 2: " + feed2.unacknowledged());
            assertEquals(PER_FEED, feed1.lastAckedSourceSeq());
            assertEquals(PER_FEED, feed2.lastAckedSourceSeq());
            assertEquals(total, Math.max(feed1.lastAckedGlobalSeq(), feed2.lastAckedGlobalSeq()));
            assertTrue(feed1.leaderChanges() + feed1.resentCount() > 0, "feed 1 noticed the failover");
            newLeader = awaitLeader(leader, 30);
            assertNotEquals(leader, newLeader);
        }

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (collector.distinct() < total)
        {
            assertTrue(System.nanoTime() < deadline, "sequenced stream incomplete: " + collector.distinct());
            if (0 == collector.poll())
            {
                sleep(5);
            }
        }
        collector.verify(total, PER_FEED, PER_FEED);
        System.out.println("failover: killed member " + leader + ", new leader " + newLeader + ", repeats on the " +
            "sequenced stream dropped by global seq: " + (collector.globalSeqs.size() - total) +
            ", kill-to-complete " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAtNs) + " ms");

        // Bring the killed member back (its driver directory is new; archive and cluster directories are kept).
        // At once: the member waits by itself for the mark files of the killed instance to go stale (10 s).
        processes[leader].waitFor(10, TimeUnit.SECONDS);
        final long restartNs = System.nanoTime();
        start(leader, false);
        final File memberAeronDir = aeronDirs.get(aeronDirs.size() - 1);
        final long rejoinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!new File(memberAeronDir, "cnc.dat").exists() || !"FOLLOWER".equals(lastRole(leader)))
        {
            assertTrue(processes[leader].isAlive(),
                "restarted member died: " + Files.readString(logs[leader].toPath()));
            assertTrue(System.nanoTime() < rejoinDeadline, "restarted member did not rejoin: " +
                Files.readString(logs[leader].toPath()));
            sleep(50);
        }
        try (Aeron memberAeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(memberAeronDir.getPath())))
        {
            while (SequencerCounters.value(memberAeron.countersReader(), SequencerCounters.GLOBAL_SEQ) != total)
            {
                assertTrue(System.nanoTime() < rejoinDeadline, "restarted member did not catch up: " +
                    SequencerCounters.value(memberAeron.countersReader(), SequencerCounters.GLOBAL_SEQ));
                sleep(50);
            }
        }
        System.out.println("rejoin: member " + leader + " caught up to " + total + " in " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartNs) + " ms after restart");
    }
}
