package io.tickbus.systemtests;

import io.aeron.CncFileDescriptor;
import io.tickbus.sequencer.ClusterMembers;
import io.tickbus.sequencer.SequencerCounters;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fault schedule in Jepsen's manner against real {@code tickbus} processes: three sequencer members, two
 * simulated ITCH feeds each through a {@code tickbus feed --sequenced} handler, an archive recording the sequenced
 * stream and three subscribers (fast, paused, late) writing {@code --seq-log} histories. A
 * {@link SplittableRandom} seeded with the seed draws the faults (SIGKILL of the leader, a follower, a feed handler
 * or the archive, each restarted; SIGSTOP / SIGCONT of the slow subscriber or a member), one at a time, while the
 * feeds are live; every fault goes into the history with its time. At the end the archive is replayed into a
 * fourth history and {@link SequencedStreamChecker} judges them all.
 * <p>
 * Network: everything runs in a private network namespace when this is root with {@code ip netns} (loopback
 * there gets a multicast route, so the sequenced stream is multicast on 127.0.0.1); else multicast on the host's
 * loopback when it has a route for 224.0.0.0/4; else unicast to one standalone receiving driver that the archive
 * and subscribers share (said in the result's {@code transport}). UDP ports 14200-14499, loopback only.
 * <p>
 * Usage: {@code FaultSchedule [--seeds K] [--first-seed S] [--fault-seconds T] [--rate R]}; prints one JSON line
 * per seed and a table; exits 1 when any seed found a violation.
 * <p>
 * Threading: one harness thread. Allocation: freely.
 */
public final class FaultSchedule
{
    static final int STREAM = 2000;
    static final int REPLAY_STREAM = 2100;
    static final String MEMBERS = "127.0.0.1:14200,127.0.0.1:14210,127.0.0.1:14220";
    static final int SEQUENCED_PORT = 14300;
    static final int SIM_PORT = 14310;
    static final int EGRESS_PORT = 14340;
    static final int ARCHIVE_CONTROL_PORT = 14320;
    static final int REPLAY_PORT = 14330;
    static final String[] KINDS = {
        "kill-leader", "kill-follower", "kill-feed", "kill-archive", "pause-subscriber", "pause-member", "loss"};
    private static final Pattern ROLE = Pattern.compile(" role=(\\w+)");
    private static final Pattern STOPPING_SEQ = Pattern.compile("stopping: globalSeq=(\\d+)");

    /** Settings of one run. */
    record Config(long seed, int faultSeconds, int ratePerFeed, Path root, Path workDir)
    {
    }

    /** The result of one run. */
    record Result(long seed, String transport, Map<String, Integer> faults, Map<String, Integer> crashes,
        SequencedStreamChecker.Verdict verdict, List<String> notes)
    {
        String toJson()
        {
            final StringBuilder sb = new StringBuilder(512);
            sb.append("{\"seed\":").append(seed).append(",\"transport\":\"").append(transport).append("\",\"faults\":{");
            String sep = "";
            for (final Map.Entry<String, Integer> e : faults.entrySet())
            {
                sb.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
                sep = ",";
            }
            sb.append("},\"crashes\":{");
            sep = "";
            for (final Map.Entry<String, Integer> e : crashes.entrySet())
            {
                sb.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
                sep = ",";
            }
            sb.append("},\"messages\":").append(verdict.messages())
                .append(",\"lost\":").append(verdict.lost())
                .append(",\"duplicated\":").append(verdict.duplicated())
                .append(",\"reordered\":").append(verdict.reordered())
                .append(",\"divergent\":").append(verdict.divergent())
                .append(",\"ackedMissing\":").append(verdict.ackedMissing())
                .append(",\"memberSeqs\":").append(verdict.memberSeqs().toString().replace(" ", ""))
                .append(",\"venueGapsByFeed\":{");
            sep = "";
            for (final Map.Entry<Integer, Long> e : verdict.sourceGaps().entrySet())
            {
                sb.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
                sep = ",";
            }
            sb.append('}')
                .append(",\"histories\":{");
            sep = "";
            for (final SequencedStreamChecker.HistoryReport h : verdict.histories())
            {
                sb.append(sep).append('"').append(h.name()).append("\":{\"records\":").append(h.records())
                    .append(",\"first\":").append(h.first()).append(",\"last\":").append(h.last())
                    .append(",\"lost\":").append(h.lost()).append(",\"duplicated\":").append(h.duplicated())
                    .append(",\"reordered\":").append(h.reordered()).append('}');
                sep = ",";
            }
            sb.append("},\"firstViolation\":");
            if (null == verdict.firstViolation())
            {
                sb.append("null");
            }
            else
            {
                sb.append("{\"seed\":").append(seed).append(",\"globalSeq\":").append(verdict.firstViolationSeq())
                    .append(",\"what\":\"").append(verdict.firstViolation().replace("\"", "'")).append("\"}");
            }
            sb.append(",\"notes\":[");
            sep = "";
            for (final String note : notes)
            {
                sb.append(sep).append('"').append(note.replace("\"", "'")).append('"');
                sep = ",";
            }
            return sb.append("]}").toString();
        }
    }

    private final Config config;
    private final SplittableRandom random;
    private final String prefix;
    private final List<Path> shmDirs = new ArrayList<>();
    private final List<TickbusProcess> processes = new ArrayList<>();
    private final Map<String, Integer> faults = new TreeMap<>();
    private final Map<String, Integer> crashes = new TreeMap<>();
    private final List<TickbusProcess> subscribers = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final PrintStream history;
    private final long startNs = System.nanoTime();
    private String netns;
    private String transport;
    private String sequencedChannel;
    private String receiverDriverDir;
    private boolean subscribeHasArchive;
    private final TickbusProcess[] members = new TickbusProcess[3];
    private final int[] memberStarts = new int[3];
    private final TickbusProcess[] feeds = new TickbusProcess[2];
    private final int[] feedStarts = new int[2];
    private final List<TickbusProcess> feedInstances = new ArrayList<>();
    private TickbusProcess archive;
    private int archiveStarts;
    private TickbusProcess receiverDriver;

    private FaultSchedule(final Config config) throws IOException
    {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.prefix = "tickbus-fault-" + config.seed() + "-" + ProcessHandle.current().pid();
        deleteTree(config.workDir()); // histories are appended to: never mix two runs
        Files.createDirectories(config.workDir());
        this.history = new PrintStream(Files.newOutputStream(config.workDir().resolve("history.log")), true,
            StandardCharsets.UTF_8);
        for (final String kind : KINDS)
        {
            faults.put(kind, 0);
        }
    }

    /**
     * Run one seed.
     *
     * @param config settings.
     * @return the checker's verdict and the faults injected.
     * @throws Exception on a harness failure (not a violation).
     */
    static Result run(final Config config) throws Exception
    {
        final FaultSchedule schedule = new FaultSchedule(config);
        // Should the harness itself be stopped (Ctrl-C, a test timeout that ends the JVM), no process outlives it.
        final Thread hook = new Thread(schedule::teardown, "fault-schedule-teardown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            return schedule.execute();
        }
        finally
        {
            schedule.teardown();
            try
            {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (final IllegalStateException ignore)
            {
                // already shutting down: the hook runs the (idempotent) teardown again
            }
        }
    }

    private Result execute() throws Exception
    {
        setUpNetwork();
        subscribeHasArchive = helpOf("subscribe").contains("--archive");
        if (!subscribeHasArchive)
        {
            note("tickbus subscribe has no --archive (gap repair): subscribers get only what they receive live");
        }
        if ("unicast-shared-driver".equals(transport))
        {
            receiverDriverDir = shm("rx-driver").toString();
            receiverDriver = tickbus("rx-driver", "", List.of("driver", "--dir", receiverDriverDir));
        }
        for (int i = 0; i < 3; i++)
        {
            startMember(i, true);
        }
        final int leader = awaitLeader(-1, 90);
        event("leader " + leader);
        startArchive();
        final TickbusProcess fast = subscriber("sub-fast");
        final TickbusProcess slow = subscriber("sub-slow");
        subscribers.add(fast);
        subscribers.add(slow);
        sleepMs(4_000);
        final String date = LocalDate.now(ZoneOffset.UTC).toString();
        for (int f = 0; f < 2; f++)
        {
            startFeed(f, date);
        }
        sleepMs(3_000);
        final long count = (long)config.ratePerFeed() * (config.faultSeconds() + 8);
        final List<TickbusProcess> sims = new ArrayList<>();
        for (int f = 0; f < 2; f++)
        {
            sims.add(tickbus("sim-" + (f + 1), "", List.of("simulate", "--venue", "itch5", "--symbols", "8",
                "--rate", Integer.toString(config.ratePerFeed()), "--count", Long.toString(count),
                "--seed", Long.toString(config.seed() * 10 + f), "--to", "udp://127.0.0.1:" + (SIM_PORT + f))));
        }
        event("feeds live: " + count + " order-flow messages per feed at " + config.ratePerFeed() + "/s");
        sleepMs(2_000);

        TickbusProcess late = null;
        final long faultDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.faultSeconds());
        boolean first = true;
        int injected = 0;
        while (System.nanoTime() < faultDeadline && injected < 200)
        {
            final String kind = first ? "kill-leader" : KINDS[random.nextInt(KINDS.length)];
            first = false;
            supervise();
            inject(kind, slow);
            injected++;
            if (null == late && faults.get("kill-leader") > 0)
            {
                late = subscriber("sub-late");
                subscribers.add(late);
            }
            sleepMs(1_000 + random.nextInt(2_000));
        }
        if (null == late)
        {
            late = subscriber("sub-late");
            subscribers.add(late);
        }
        event("faults over; healing");
        heal(slow);
        supervise();

        for (final TickbusProcess sim : sims)
        {
            sim.await(config.faultSeconds() + 60L);
        }
        event("simulators done");
        sleepMs(3_000);
        for (final TickbusProcess feed : feeds)
        {
            feed.terminate(30);
        }
        event("feeds stopped");
        // A subscriber that fell behind (paused, joined late) may still be recovering from the archives.
        awaitQuiet(List.of("sub-fast", "sub-slow", "sub-late"), 5_000, 120);
        fast.terminate(20);
        slow.terminate(20);
        late.terminate(20);
        event("subscribers stopped");
        if (subscribeHasArchive)
        {
            // The durable copies: a subscriber started now, with the stream silent, must recover 1..N from the
            // archives alone (the standalone archive and every member's recording of its own output).
            long target = 0;
            for (final String name : List.of("sub-fast", "sub-slow", "sub-late"))
            {
                target = Math.max(target, lastSeqIn(config.workDir().resolve(name + ".seqlog")));
            }
            final TickbusProcess audit = subscriber("sub-audit");
            awaitRecords("sub-audit", target, 180);
            audit.terminate(20);
            event("sub-audit stopped");
        }

        final TickbusProcess replaySub = tickbus("sub-replay", "sub-replay", List.of("subscribe",
            "--channel", "aeron:udp?endpoint=127.0.0.1:" + REPLAY_PORT, "--stream", Integer.toString(REPLAY_STREAM),
            "--summary", "--embedded-driver", "--seq-log", config.workDir().resolve("archive.seqlog").toString()));
        sleepMs(3_000);
        final TickbusProcess replay = tickbus("replay", "", List.of("replay", "--dir", archiveDir().toString(),
            "--day", date, "--stream", Integer.toString(STREAM), "--channel",
            "aeron:udp?endpoint=127.0.0.1:" + REPLAY_PORT, "--to-stream", Integer.toString(REPLAY_STREAM),
            "--no-progress", "--connect-timeout", "20s"));
        if (!replay.await(90))
        {
            note("replay did not finish in 90 s");
        }
        event("replay exit " + (replay.isAlive() ? "running" : replay.terminate(1)));
        sleepMs(2_000);
        replaySub.terminate(20);
        archive.terminate(20);

        final SequencedStreamChecker checker = new SequencedStreamChecker();
        for (int i = 0; i < 3; i++)
        {
            members[i].terminate(30);
            final Matcher m = STOPPING_SEQ.matcher(members[i].output());
            long seq = -1;
            while (m.find())
            {
                seq = Long.parseLong(m.group(1));
            }
            checker.member(seq);
        }
        event("members stopped");
        for (final TickbusProcess feed : feedInstances)
        {
            final String json = feed.lastJsonLine();
            if (null == json || !json.contains("\"sequencer\""))
            {
                // Killed: what it had been acknowledged is still in the counters of its dead driver's cnc.dat.
                final long[] acked = deadClientAcks(shm(feed.name()));
                if (null == acked)
                {
                    note(feed.name() + ": no summary and no sequencer counters (ended before its client connected): no acks");
                    continue;
                }
                event(feed.name() + " (killed) acked per its counters: source " + acked[0] + ", global " + acked[1]);
                checker.ack(new SequencedStreamChecker.Ack(feed.name() + "(killed)",
                    Integer.parseInt(feed.name().substring(4, 5)), acked[0], acked[1]));
                continue;
            }
            checker.ack(new SequencedStreamChecker.Ack(feed.name(), (int)jsonLong(json, "feedId"),
                jsonLong(json, "lastAckedSourceSeq"), jsonLong(json, "lastAckedGlobalSeq")));
        }
        for (final String name : List.of("sub-fast", "sub-slow", "sub-late"))
        {
            checker.history(name, config.workDir().resolve(name + ".seqlog"));
        }
        if (subscribeHasArchive)
        {
            checker.history("sub-audit", config.workDir().resolve("sub-audit.seqlog"));
        }
        if (0 == faults.getOrDefault("kill-archive", 0))
        {
            checker.history("archive", config.workDir().resolve("archive.seqlog"));
        }
        else
        {
            // A killed archive records nothing while it is down; its day alone is not 1..N. The durable copies
            // as a whole are judged by sub-audit; the archive's own day is reported, not judged.
            note("archive killed " + faults.get("kill-archive") + " times: its own day has " +
                recordsIn(config.workDir().resolve("archive.seqlog")) + " records; sub-audit judges the durable copies");
        }
        final Result result = new Result(config.seed(), transport, faults, crashes, checker.check(), notes);
        event("result " + result.toJson());
        return result;
    }

    private void inject(final String kind, final TickbusProcess slow) throws IOException
    {
        switch (kind)
        {
            case "kill-leader", "kill-follower" ->
            {
                final int leader = awaitLeader(-1, 30);
                int victim = leader;
                if ("kill-follower".equals(kind))
                {
                    victim = (leader + 1 + random.nextInt(2)) % 3;
                }
                fault(kind, "member " + victim + " SIGKILL");
                kill(members[victim]);
                if ("kill-leader".equals(kind))
                {
                    event("new leader " + awaitLeader(victim, 30));
                }
                sleepMs(500 + random.nextInt(2_000));
                startMember(victim, false);
                awaitRole(victim, 60);
            }
            case "kill-feed" ->
            {
                final int f = random.nextInt(2);
                fault(kind, "feed " + (f + 1) + " SIGKILL");
                kill(feeds[f]);
                sleepMs(500 + random.nextInt(2_000));
                startFeed(f, LocalDate.now(ZoneOffset.UTC).toString());
            }
            case "kill-archive" ->
            {
                fault(kind, "archive SIGKILL");
                kill(archive);
                sleepMs(500 + random.nextInt(2_000));
                startArchive();
            }
            case "pause-subscriber" ->
            {
                if (!slow.isAlive())
                {
                    event("pause-subscriber: skipped, sub-slow has ended");
                    return;
                }
                final int ms = 3_000 + random.nextInt(config.faultSeconds() >= 60 ? 12_000 : 5_000);
                fault(kind, "sub-slow SIGSTOP for " + ms + " ms");
                slow.pause();
                sleepMs(ms);
                slow.resume();
                event("sub-slow SIGCONT");
            }
            case "pause-member" ->
            {
                final int victim = random.nextInt(3);
                final int ms = 1_000 + random.nextInt(3_000);
                fault(kind, "member " + victim + " SIGSTOP for " + ms + " ms");
                members[victim].pause();
                sleepMs(ms);
                members[victim].resume();
                event("member " + victim + " SIGCONT");
                awaitLeader(-1, 30);
            }
            case "loss" ->
            {
                if (!lossAvailable())
                {
                    event("loss: skipped");
                    return;
                }
                final int ms = 2_000 + random.nextInt(4_000);
                fault(kind, "5% loss on loopback to UDP port " + SEQUENCED_PORT + " for " + ms + " ms");
                // prio qdisc on the namespace's lo; band 3 gets netem loss; only the sequenced port is steered there.
                inNetns("tc", "qdisc", "add", "dev", "lo", "root", "handle", "1:", "prio");
                inNetns("tc", "qdisc", "add", "dev", "lo", "parent", "1:3", "handle", "30:", "netem", "loss", "5%");
                inNetns("tc", "filter", "add", "dev", "lo", "protocol", "ip", "parent", "1:0", "prio", "3", "u32",
                    "match", "ip", "dport", Integer.toString(SEQUENCED_PORT), "0xffff", "flowid", "1:3");
                sleepMs(ms);
                inNetns("tc", "qdisc", "del", "dev", "lo", "root");
                event("loss healed");
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    private Boolean lossAvailable;

    private boolean lossAvailable()
    {
        if (null == lossAvailable)
        {
            // Only inside our own namespace: never impair the host's loopback that others share.
            lossAvailable = null != netns && 0 == inNetns("tc", "qdisc", "add", "dev", "lo", "root", "netem",
                "delay", "0ms");
            if (lossAvailable)
            {
                inNetns("tc", "qdisc", "del", "dev", "lo", "root");
            }
            else
            {
                note(null == netns ? "loss faults skipped: no private network namespace (needs root, ip netns)" :
                    "loss faults skipped: tc netem unavailable (sch_netem: 'Specified qdisc kind is unknown'); " +
                    "nftables fallback not implemented");
            }
        }
        return lossAvailable;
    }

    private int inNetns(final String... cmd)
    {
        final String[] full = new String[cmd.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = netns;
        System.arraycopy(cmd, 0, full, 4, cmd.length);
        return exec(full);
    }

    /**
     * Processes that ended on their own (not by a fault) go into the history as crashes with their last line;
     * members, feeds and the archive are restarted as a supervisor would, subscribers are not (their history
     * then simply ends).
     */
    private void supervise() throws IOException
    {
        for (int i = 0; i < 3; i++)
        {
            if (!members[i].isAlive())
            {
                crash("member", members[i]);
                startMember(i, false);
                awaitRole(i, 60);
            }
        }
        for (int f = 0; f < 2; f++)
        {
            if (!feeds[f].isAlive())
            {
                crash("feed", feeds[f]);
                startFeed(f, LocalDate.now(ZoneOffset.UTC).toString());
            }
        }
        if (!archive.isAlive())
        {
            crash("archive", archive);
            startArchive();
        }
        for (final TickbusProcess sub : subscribers)
        {
            if (!sub.isAlive() && !crashed.contains(sub))
            {
                crash("subscriber", sub);
            }
        }
    }

    private final List<TickbusProcess> crashed = new ArrayList<>();

    private void crash(final String kind, final TickbusProcess p)
    {
        crashed.add(p);
        crashes.merge(kind, 1, Integer::sum);
        final String[] lines = p.output().strip().split("\n");
        String reason = "";
        for (int i = lines.length - 1; i >= 0 && reason.isEmpty(); i--)
        {
            if (lines[i].contains("error") || lines[i].contains("Exception"))
            {
                reason = lines[i].strip();
            }
        }
        event("CRASH " + p.name() + " exit " + p.terminate(1) + ": " + reason);
        note("crash: " + p.name() + ": " + (reason.length() > 160 ? reason.substring(0, 160) : reason));
    }

    private void heal(final TickbusProcess slow) throws IOException
    {
        if (slow.isStopped())
        {
            slow.resume();
        }
        for (int i = 0; i < 3; i++)
        {
            if (members[i].isStopped())
            {
                members[i].resume();
            }
        }
        awaitLeader(-1, 60);
    }

    private void startMember(final int i, final boolean fresh) throws IOException
    {
        final int n = ++memberStarts[i];
        final List<String> args = new ArrayList<>(List.of("sequencer", "--member-id", Integer.toString(i),
            "--members", MEMBERS, "--dir", shm("seq" + i).toString(),
            "--aeron-dir", shm("seq" + i + "-driver-" + n).toString(),
            "--sequenced-channel", sequencedChannel, "--sequenced-stream", Integer.toString(STREAM),
            "--allow-any-feed"));
        if (fresh)
        {
            args.add("--fresh");
        }
        members[i] = tickbus("seq" + i + "-" + n, "", args);
        event("member " + i + " started" + (fresh ? " fresh" : " on its old dir") + " pid " + members[i].pid());
    }

    private void startFeed(final int f, final String date) throws IOException
    {
        final int n = ++feedStarts[f];
        final String name = "feed" + (f + 1) + "-" + n;
        feeds[f] = tickbus(name, name, List.of("feed", "--venue", "itch5", "--from",
            "udp://127.0.0.1:" + (SIM_PORT + f), "--sequenced", "--members", MEMBERS, "--feed-id",
            Integer.toString(f + 1), "--channel", "aeron:ipc", "--stream", Integer.toString(1001 + f),
            "--egress-channel", "aeron:udp?endpoint=127.0.0.1:" + (EGRESS_PORT + f), "--date", date,
            "--embedded-driver", "--summary"));
        feedInstances.add(feeds[f]);
        event(name + " started pid " + feeds[f].pid());
    }

    private void startArchive() throws IOException
    {
        final int n = ++archiveStarts;
        final List<String> args = new ArrayList<>(List.of("archive", "--dir", archiveDir().toString(),
            "--record", sequencedChannel + ":" + STREAM,
            "--control-channel", "aeron:udp?endpoint=127.0.0.1:" + ARCHIVE_CONTROL_PORT));
        if (null != receiverDriverDir)
        {
            args.addAll(List.of("--driver-dir", receiverDriverDir));
        }
        archive = tickbus("archive-" + n, "archive-" + n, args);
        event("archive started pid " + archive.pid());
    }

    private TickbusProcess subscriber(final String name) throws IOException
    {
        final List<String> args = new ArrayList<>(List.of("subscribe", "--channel", sequencedChannel,
            "--stream", Integer.toString(STREAM), "--summary",
            "--seq-log", config.workDir().resolve(name + ".seqlog").toString()));
        if (null != receiverDriverDir)
        {
            args.addAll(List.of("--driver-dir", receiverDriverDir));
        }
        else
        {
            args.add("--embedded-driver");
        }
        if (subscribeHasArchive)
        {
            args.addAll(List.of("--archive", "127.0.0.1:" + ARCHIVE_CONTROL_PORT));
            for (int i = 0; i < 3; i++)
            {
                args.addAll(List.of("--archive", ClusterMembers.archiveEndpoint(MEMBERS, i)));
            }
        }
        final TickbusProcess p = tickbus(name, name, args);
        event(name + " started pid " + p.pid());
        return p;
    }

    private Path archiveDir() throws IOException
    {
        return shm("archive-data");
    }

    /**
     * Start a tickbus process; {@code shmName} non-empty gives its embedded driver a root of its own.
     */
    private TickbusProcess tickbus(final String label, final String shmName, final List<String> args)
        throws IOException
    {
        // Every process's embedded drivers (and anything else made under the root) in a directory of its own.
        final String opts = "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k" +
            " -Dtickbus.driver.embedded.root=" + shm(shmName.isEmpty() ? label : shmName);
        final TickbusProcess p = TickbusProcess.start(
            config.root(), netns, label, config.workDir().resolve(label + ".log"), opts, args);
        processes.add(p);
        return p;
    }

    private Path shm(final String name) throws IOException
    {
        final Path dir = Path.of("/dev/shm", prefix + "-" + name);
        if (!shmDirs.contains(dir))
        {
            shmDirs.add(dir);
            Files.createDirectories(dir);
        }
        return dir;
    }

    private int awaitLeader(final int excluded, final long timeoutS) throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (System.nanoTime() < deadline)
        {
            for (int i = 0; i < 3; i++)
            {
                if (i != excluded && members[i].isAlive() && !members[i].isStopped() &&
                    "LEADER".equals(lastRole(members[i])))
                {
                    return i;
                }
            }
            sleepMs(50);
        }
        throw new IllegalStateException("seed " + config.seed() + ": no leader within " + timeoutS + " s; logs in " +
            config.workDir());
    }

    private void awaitRole(final int member, final long timeoutS)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        while (System.nanoTime() < deadline)
        {
            final String role = lastRole(members[member]);
            if ("FOLLOWER".equals(role) || "LEADER".equals(role))
            {
                event("member " + member + " rejoined as " + role);
                return;
            }
            if (!members[member].isAlive())
            {
                throw new IllegalStateException("restarted member " + member + " died; log " + members[member].log());
            }
            sleepMs(100);
        }
        throw new IllegalStateException("member " + member + " did not rejoin in " + timeoutS + " s");
    }

    /**
     * @param root a killed client's embedded driver root.
     * @return {last acked source seq, last acked global seq} from its SequencerClient's counters, or null.
     */
    static long[] deadClientAcks(final Path root)
    {
        try (Stream<Path> walk = Files.walk(root, 2))
        {
            final Path cncFile = walk.filter((p) -> p.getFileName().toString().equals(CncFileDescriptor.CNC_FILE))
                .findFirst().orElse(null);
            if (null == cncFile)
            {
                System.err.println("fault-schedule: no cnc.dat under " + root);
                return null;
            }
            final MappedByteBuffer cnc = IoUtil.mapExistingFile(cncFile.toFile(), "cnc");
            try
            {
                final UnsafeBuffer meta = CncFileDescriptor.createMetaDataBuffer(cnc);
                final CountersReader counters = new CountersReader(
                    CncFileDescriptor.createCountersMetaDataBuffer(cnc, meta),
                    CncFileDescriptor.createCountersValuesBuffer(cnc, meta));
                final long source = SequencerCounters.value(counters, SequencerCounters.CLIENT_LAST_ACKED_SOURCE_SEQ);
                final long global = SequencerCounters.value(counters, SequencerCounters.CLIENT_LAST_ACKED_GLOBAL_SEQ);
                if (source < 0)
                {
                    System.err.println("fault-schedule: no sequencer client counters in " + cncFile);
                    return null;
                }
                return new long[]{ source, global };
            }
            finally
            {
                IoUtil.unmap(cnc);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            System.err.println("fault-schedule: counters of " + root + ": " + ex);
            return null;
        }
    }

    private static String lastRole(final TickbusProcess member)
    {
        final Matcher m = ROLE.matcher(member.output());
        String role = "";
        while (m.find())
        {
            role = m.group(1);
        }
        return role;
    }

    private void setUpNetwork() throws IOException
    {
        if ("root".equals(System.getProperty("user.name")) && null == System.getenv("TICKBUS_FAULT_NO_NETNS"))
        {
            final String ns = "tbf" + ProcessHandle.current().pid();
            if (0 == exec("ip", "netns", "add", ns))
            {
                netns = ns;
                final boolean up = 0 == exec("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up") &&
                    0 == exec("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "multicast", "on") &&
                    0 == exec("ip", "netns", "exec", ns, "ip", "route", "add", "224.0.0.0/4", "dev", "lo");
                if (up)
                {
                    transport = "multicast-netns";
                    sequencedChannel = multicastChannel();
                    note("private network namespace " + ns + " with a multicast route on its loopback");
                    return;
                }
                note("network namespace " + ns + " could not get a multicast route");
            }
        }
        if (0 == exec("sh", "-c", "ip route show table all | grep -q '^multicast 224.0.0.0/4 dev lo\\|^224.0.0.0/4 dev lo'"))
        {
            transport = "multicast-host";
            sequencedChannel = multicastChannel();
            return;
        }
        transport = "unicast-shared-driver";
        sequencedChannel = "aeron:udp?endpoint=127.0.0.1:" + SEQUENCED_PORT;
        note("no multicast route on loopback: the sequenced stream is unicast to one receiving driver that the " +
            "archive and subscribers share (a paused subscriber can then hold up its neighbours)");
    }

    private static String multicastChannel()
    {
        return "aeron:udp?endpoint=224.0.1.77:" + SEQUENCED_PORT + "|interface=127.0.0.1";
    }

    private String helpOf(final String command) throws IOException
    {
        final Path out = config.workDir().resolve(command + "-help.txt");
        final TickbusProcess p = TickbusProcess.start(config.root(), null, command + "-help", out,
            "-XX:TieredStopAtLevel=1", List.of(command, "--help"));
        p.await(60);
        p.close();
        return p.output();
    }

    private synchronized void teardown()
    {
        for (int i = processes.size() - 1; i >= 0; i--)
        {
            if (processes.get(i).isAlive())
            {
                processes.get(i).kill();
            }
        }
        if (null != netns)
        {
            exec("ip", "netns", "del", netns);
        }
        netns = null;
        for (final Path dir : shmDirs)
        {
            deleteTree(dir);
        }
        history.close();
    }

    private static void deleteTree(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir))
        {
            walk.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ex)
        {
            System.err.println("fault-schedule: cannot delete " + dir + ": " + ex);
        }
    }

    private static int exec(final String... cmd)
    {
        try
        {
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS))
            {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        }
        catch (final IOException ex)
        {
            return -1;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void kill(final TickbusProcess p)
    {
        final long t0 = System.nanoTime();
        p.kill();
        event(p.name() + (p.isAlive() ? " STILL ALIVE" : " gone") + " " +
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms after SIGKILL");
    }

    private void fault(final String kind, final String what)
    {
        faults.merge(kind, 1, Integer::sum);
        event("FAULT " + kind + ": " + what);
    }

    /** Wait until the named histories have stopped growing for quietMs (and are not empty), at most timeoutS. */
    private void awaitQuiet(final List<String> names, final long quietMs, final long timeoutS)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        long lastTotal = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline)
        {
            long total = 0;
            boolean empty = false;
            for (final String name : names)
            {
                final long records = recordsIn(config.workDir().resolve(name + ".seqlog"));
                empty |= records <= 0;
                total += records;
            }
            if (total != lastTotal || empty)
            {
                lastTotal = total;
                quietSince = System.nanoTime();
            }
            else if (System.nanoTime() - quietSince >= TimeUnit.MILLISECONDS.toNanos(quietMs))
            {
                return;
            }
            sleepMs(250);
        }
        note("histories " + names + " still growing after " + timeoutS + " s");
    }

    /**
     * Wait until a history holds about target records (within one write buffer of 4096 records) and has been quiet
     * for 3 s, or has been quiet for 30 s, at most timeoutS.
     */
    private void awaitRecords(final String name, final long target, final long timeoutS)
    {
        final Path log = config.workDir().resolve(name + ".seqlog");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
        long last = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline)
        {
            final long records = recordsIn(log);
            if (records != last)
            {
                last = records;
                quietSince = System.nanoTime();
            }
            final long quietMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - quietSince);
            if ((records >= target - 4096 && quietMs >= 3_000) || quietMs >= 30_000)
            {
                return;
            }
            sleepMs(250);
        }
        note(name + " still short of " + target + " after " + timeoutS + " s");
    }

    private static long lastSeqIn(final Path seqLog)
    {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(seqLog))
        {
            final long size = channel.size();
            if (size < 24)
            {
                return 0;
            }
            final java.nio.ByteBuffer record = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            channel.read(record, (size / 24 - 1) * 24);
            return record.getLong(0);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private static long recordsIn(final Path seqLog)
    {
        try
        {
            return Files.exists(seqLog) ? Files.size(seqLog) / 24 : 0;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void note(final String note)
    {
        notes.add(note);
        event("note: " + note);
    }

    private void event(final String what)
    {
        final String line = String.format("%8.3f %s", (System.nanoTime() - startNs) / 1e9, what);
        history.println(line);
        if (Boolean.getBoolean("tickbus.fault.verbose"))
        {
            System.err.println("[seed " + config.seed() + "] " + line);
        }
    }

    static long jsonLong(final String json, final String name)
    {
        final Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * @param args [--seeds K] [--first-seed S] [--fault-seconds T] [--rate R] [--root DIR].
     * @throws Exception on a harness failure.
     */
    public static void main(final String[] args) throws Exception
    {
        int seeds = 1;
        long firstSeed = 1;
        int faultSeconds = 120;
        int rate = 1000;
        Path root = Path.of(System.getProperty("tickbus.root", ".")).toAbsolutePath();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--first-seed" -> firstSeed = Long.parseLong(args[++i]);
                case "--fault-seconds" -> faultSeconds = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--root" -> root = Path.of(args[++i]).toAbsolutePath();
                default ->
                {
                    System.err.println("usage: FaultSchedule [--seeds K] [--first-seed S] [--fault-seconds T] " +
                        "[--rate R] [--root DIR]");
                    System.exit(2);
                }
            }
        }
        final List<Result> results = new ArrayList<>();
        for (long seed = firstSeed; seed < firstSeed + seeds; seed++)
        {
            final Path work = root.resolve("system-tests/target/fault-schedule/seed-" + seed);
            final Result result = run(new Config(seed, faultSeconds, rate, root, work));
            System.out.println(result.toJson());
            results.add(result);
        }
        System.out.println();
        System.out.printf("%-6s %-100s %9s %8s %10s %9s  %-44s %s%n",
            "seed", "faults", "messages", "lost", "duplicated", "reordered", "lost by history", "first violation");
        final Map<String, Integer> total = new TreeMap<>();
        long lost = 0;
        long dup = 0;
        long reordered = 0;
        long messages = 0;
        for (final Result r : results)
        {
            r.faults().forEach((k, v) -> total.merge(k, v, Integer::sum));
            lost += r.verdict().lost();
            dup += r.verdict().duplicated();
            reordered += r.verdict().reordered();
            messages += r.verdict().messages();
            final StringBuilder byHistory = new StringBuilder();
            for (final SequencedStreamChecker.HistoryReport h : r.verdict().histories())
            {
                if (h.lost() + h.duplicated() + h.reordered() > 0)
                {
                    byHistory.append(byHistory.length() > 0 ? " " : "").append(h.name()).append('=').append(h.lost());
                }
            }
            System.out.printf("%-6d %-100s %9d %8d %10d %9d  %-44s %s%n", r.seed(), compact(r.faults()) +
                (r.crashes().isEmpty() ? "" : " | crashed: " + compact(r.crashes())),
                r.verdict().messages(), r.verdict().lost(), r.verdict().duplicated(), r.verdict().reordered(),
                byHistory.length() == 0 ? "-" : byHistory,
                null == r.verdict().firstViolation() ? "-" :
                "seq " + r.verdict().firstViolationSeq() + ": " + r.verdict().firstViolation());
        }
        System.out.printf("%-6s %-100s %9d %8d %10d %9d%n", results.size() + " run", compact(total), messages, lost,
            dup, reordered);
        System.exit(results.stream().allMatch((r) -> r.verdict().ok()) ? 0 : 1);
    }

    private static String compact(final Map<String, Integer> faults)
    {
        final StringBuilder sb = new StringBuilder();
        faults.forEach((k, v) ->
        {
            if (v > 0)
            {
                sb.append(sb.length() > 0 ? " " : "").append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }
}
