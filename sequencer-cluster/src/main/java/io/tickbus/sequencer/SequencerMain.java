package io.tickbus.sequencer;

import io.aeron.cluster.service.Cluster;
import org.agrona.SystemUtil;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one sequencer cluster member as a process until SIGINT / SIGTERM, configured by system properties
 * ({@code tickbus.sequencer.*}, see {@link SequencerNode.Context}) and optional properties files named as
 * arguments; feed credentials come from the environment ({@link FeedCredentials}). Prints one line when running
 * and one per role change ({@code role=LEADER}), which scripts and tests watch.
 */
public final class SequencerMain
{
    private SequencerMain()
    {
    }

    /**
     * @param args optional properties files.
     */
    public static void main(final String[] args)
    {
        SystemUtil.loadPropertiesFiles(args);
        // The barrier's shutdown hook holds the JVM until the barrier is closed: close it once the node is down.
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier())
        {
            final CountDownLatch stop = new CountDownLatch(1);
            final Thread waiter = new Thread(() ->
            {
                barrier.await();
                stop.countDown();
            }, "tickbus-sequencer-signal");
            waiter.setDaemon(true);
            waiter.start();
            run(new SequencerNode.Context(), new PrintWriter(System.out, true), stop);
        }
    }

    /**
     * Launch a member and report its role until told to stop.
     *
     * @param ctx settings.
     * @param out where status lines go.
     * @param stop counted down to stop.
     */
    public static void run(final SequencerNode.Context ctx, final PrintWriter out, final CountDownLatch stop)
    {
        try (SequencerNode node = SequencerNode.launch(ctx))
        {
            out.println("tickbus sequencer running: member=" + ctx.memberId() + " members=" + ctx.members() +
                " dir=" + ctx.baseDir() + " aeronDir=" + node.aeronDirectoryName() +
                " sequenced=" + node.sequencedChannel() + ":" + node.sequencedStreamId() +
                " ingress=" + node.ingressEndpoints());
            out.flush();
            Cluster.Role reported = null;
            while (!stop.await(50, TimeUnit.MILLISECONDS))
            {
                final Cluster.Role role = node.role();
                if (null == role)
                {
                    out.println("tickbus sequencer member=" + ctx.memberId() +
                        ": the member's Aeron client closed (its driver stopped or timed out): stopping");
                    out.flush();
                    return;
                }
                if (role != reported)
                {
                    reported = role;
                    out.println("tickbus sequencer member=" + ctx.memberId() + " role=" + role);
                    out.flush();
                }
            }
            out.println("tickbus sequencer member=" + ctx.memberId() + " stopping: globalSeq=" +
                node.counter(SequencerCounters.GLOBAL_SEQ));
            out.flush();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
