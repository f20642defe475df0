package io.tickbus.tools;

import io.tickbus.client.Durations;
import io.tickbus.driver.DriverProfile;
import io.tickbus.sequencer.FeedCredentials;
import io.tickbus.sequencer.SequencerMain;
import io.tickbus.sequencer.SequencerNode;
import org.agrona.concurrent.ShutdownSignalBarrier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code tickbus sequencer}: one member of the sequencer cluster (its own media driver, archive and cluster
 * directories) until SIGINT / SIGTERM.
 */
@Command(
    name = "sequencer",
    mixinStandardHelpOptions = true,
    description = {
        "Run one member of the sequencer cluster.",
        "Run one member of the sequencer cluster. Feeds send through cluster",
        "ingress; each message is stamped once with a global sequence and the",
        "cluster time, and every member publishes the result on the sequenced",
        "stream (one copy per member, like A/B lines; subscribers keep the first).",
        "Feed credentials never come from the command line: set",
        "TICKBUS_SEQUENCER_CREDENTIALS_FILE=FILE (lines feed.ID=SECRET), or",
        "TICKBUS_SEQUENCER_CREDENTIALS=ID=SECRET,ID=SECRET, or --credentials FILE."},
    footer = {
        "",
        "Members: host:portBase per member, in member-id order (a member uses",
        "portBase..portBase+4), or Aeron's members string (0,in,cons,log,catchup,arch|1,...).",
        "",
        "Examples:",
        "  TICKBUS_SEQUENCER_CREDENTIALS_FILE=feeds.properties tickbus sequencer \\",
        "    --member-id 0 --members 10.0.0.1:9000,10.0.0.2:9000,10.0.0.3:9000 \\",
        "    --dir /var/tickbus/seq0",
        "  tickbus sequencer --member-id 0 --members 127.0.0.1:43000 \\",
        "    --dir /dev/shm/seq --fresh --allow-any-feed --sequenced-stream 2000"})
public final class SequencerCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--member-id", required = true, description = "This member's id (0-based).")
    int memberId;

    @Option(names = "--members", required = true, description = "Cluster members: host:portBase,... or Aeron's form.")
    String members;

    @Option(names = "--dir", required = true, description = "Member directory (archive/, cluster/, driver/).")
    File dir;

    @Option(names = "--aeron-dir", description = "Media driver directory (default DIR/driver).")
    String aeronDir;

    @Option(names = "--sequenced-channel", description = "Channel of the sequenced stream (default aeron:ipc).")
    String sequencedChannel;

    @Option(names = "--sequenced-stream", description = "Stream id of the sequenced stream (default 2000).")
    Integer sequencedStream;

    @Option(names = "--profile", defaultValue = "small",
        description = "small (shared driver thread, back-off; default) or dedicated (own threads, busy-spin).")
    String profile;

    @Option(names = "--leader-timeout",
        description = "Leader heartbeat timeout before an election, e.g. 2s (default 2s, or the --config file's).")
    String leaderTimeout;

    @Option(names = "--idle-max-park", paramLabel = "DURATION",
        description = "Longest park of the cluster's threads when idle under the small profile, e.g. 100us " +
            "(default 1ms): lower cuts latency at low rates for more idle CPU (docs/tuning.md).")
    String idleMaxPark;

    @Option(names = "--credentials", description = "File of feed.ID=SECRET lines (else from the environment).")
    Path credentials;

    @Option(names = "--allow-any-feed", description = "Accept clients without credentials (demo only).")
    boolean allowAnyFeed;

    @Option(names = "--fresh", description = "Delete the member's previous state and start a new cluster log.")
    boolean fresh;

    @Option(names = "--config", description = "Properties file (tickbus.sequencer.* keys).")
    Path config;

    /** Set by tests to stop the member without a signal. */
    CountDownLatch stop;

    public Integer call() throws Exception
    {
        final SequencerNode.Context ctx = new SequencerNode.Context();
        if (null != config)
        {
            if (!Files.isReadable(config))
            {
                throw new IllegalArgumentException("config file not readable: " + config);
            }
            ctx.load(config);
        }
        ctx.memberId(memberId).members(members).baseDir(dir).profile(DriverProfile.parse(profile))
            .deleteOnStart(fresh)
            .allowAnyFeed(allowAnyFeed);
        if (null != leaderTimeout)
        {
            ctx.leaderHeartbeatTimeoutNs(Durations.parseNanos(leaderTimeout));
        }
        if (null != idleMaxPark)
        {
            ctx.idleMaxParkNs(Durations.parseNanos(idleMaxPark));
        }
        if (null != aeronDir)
        {
            ctx.aeronDirectoryName(aeronDir);
        }
        if (null != sequencedChannel || null != sequencedStream)
        {
            ctx.sequenced(
                null != sequencedChannel ? sequencedChannel : SequencerNode.Context.SEQUENCED_CHANNEL_DEFAULT,
                null != sequencedStream ? sequencedStream : SequencerNode.Context.SEQUENCED_STREAM_DEFAULT);
        }
        if (null != credentials)
        {
            ctx.credentials(FeedCredentials.load(credentials));
        }
        ctx.conclude();

        if (null != stop)
        {
            SequencerMain.run(ctx, spec.commandLine().getOut(), stop);
        }
        else
        {
            try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
            {
                final CountDownLatch signalled = new CountDownLatch(1);
                final Thread waiter = new Thread(() ->
                {
                    barrier.await();
                    signalled.countDown();
                }, "tickbus-sequencer-signal");
                waiter.setDaemon(true);
                waiter.start();
                SequencerMain.run(ctx, spec.commandLine().getOut(), signalled);
            }
        }
        spec.commandLine().getOut().println("tickbus sequencer stopped");
        spec.commandLine().getOut().flush();
        return TickbusCli.EXIT_OK;
    }
}
