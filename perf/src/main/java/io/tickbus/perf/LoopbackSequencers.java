package io.tickbus.perf;

import io.aeron.cluster.service.Cluster;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.sequencer.ClusterMembers;
import io.tickbus.sequencer.SequencerNode;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * A sequencer cluster of 1 or more members in this process, each {@link SequencerNode} with its own driver under
 * /dev/shm, all on 127.0.0.1: member i uses the UDP ports {@code portBase + 10 * i} and the next four. Every member
 * publishes the sequenced stream on the channel given. Used by the benchmarks that put the sequenced path on the
 * same box as everything else.
 * <p>
 * Threading: launch, {@link #awaitLeader}, {@link #kill} and close from one thread (the members run their own
 * threads, SHARED driver and back-off idle strategies). Allocates at launch only.
 */
public final class LoopbackSequencers implements AutoCloseable
{
    /** Distance between two members' port bases (a member uses five ports from its base). */
    public static final int MEMBER_PORT_SPACING = 10;

    private final String members;
    private final SequencerNode[] nodes;
    private final File[] dirs;

    /**
     * Launch the members (they elect on their own; see {@link #awaitLeader}).
     *
     * @param name short name for the directories.
     * @param memberCount members, 1 or an odd number.
     * @param portBase first UDP port on 127.0.0.1.
     * @param sequencedChannel the sequenced stream's channel.
     * @param sequencedStreamId the sequenced stream's id.
     */
    public LoopbackSequencers(
        final String name,
        final int memberCount,
        final int portBase,
        final String sequencedChannel,
        final int sequencedStreamId)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < memberCount; i++)
        {
            sb.append(0 == i ? "" : ",").append("127.0.0.1:").append(portBase + MEMBER_PORT_SPACING * i);
        }
        members = sb.toString();
        nodes = new SequencerNode[memberCount];
        dirs = new File[memberCount];
        try
        {
            for (int i = 0; i < memberCount; i++)
            {
                dirs[i] = new File(TickbusDriver.uniqueEmbeddedDir(name + "-" + i));
                nodes[i] = SequencerNode.launch(new SequencerNode.Context()
                    .memberId(i)
                    .members(members)
                    .baseDir(dirs[i])
                    .deleteOnStart(true)
                    .deleteOnClose(true)
                    .sequenced(sequencedChannel, sequencedStreamId)
                    .startupCanvassTimeoutNs(TimeUnit.SECONDS.toNanos(5))
                    .allowAnyFeed(true));
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /** @return the members in {@code host:portBase,...} form. */
    public String members()
    {
        return members;
    }

    /** @return what a {@link io.tickbus.sequencer.client.SequencerClient} connects to. */
    public String ingressEndpoints()
    {
        return ClusterMembers.ingressEndpoints(members);
    }

    /** @return the number of members launched. */
    public int memberCount()
    {
        return nodes.length;
    }

    /**
     * @param memberId a member.
     * @return the member, or null after {@link #kill}.
     */
    public SequencerNode node(final int memberId)
    {
        return nodes[memberId];
    }

    /**
     * Wait for a leader among the running members.
     *
     * @param exclude a member not to count (the one just killed), or -1.
     * @param deadlineNs {@link System#nanoTime()} to give up at.
     * @return the leader's member id, or -1 at the deadline.
     * @throws InterruptedException when interrupted.
     */
    public int awaitLeader(final int exclude, final long deadlineNs) throws InterruptedException
    {
        while (System.nanoTime() - deadlineNs < 0)
        {
            final int leader = leader(exclude);
            if (leader >= 0)
            {
                return leader;
            }
            Thread.sleep(5);
        }
        return -1;
    }

    /**
     * @param exclude a member not to count, or -1.
     * @return the member that is leader now, or -1.
     */
    public int leader(final int exclude)
    {
        for (int i = 0; i < nodes.length; i++)
        {
            final SequencerNode node = nodes[i];
            if (i != exclude && null != node && Cluster.Role.LEADER == node.role())
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Forget a member that the caller closes (as a crash): {@link #node} returns null for it afterwards.
     *
     * @param memberId the member.
     * @return the member for the caller to close.
     */
    public SequencerNode kill(final int memberId)
    {
        final SequencerNode node = nodes[memberId];
        nodes[memberId] = null;
        return node;
    }

    /** Close every running member and delete every member's directories. */
    public void close()
    {
        try
        {
            for (int i = nodes.length - 1; i >= 0; i--)
            {
                CloseHelper.quietClose(nodes[i]);
                nodes[i] = null;
            }
        }
        finally
        {
            for (final File dir : dirs)
            {
                if (null != dir)
                {
                    IoUtil.delete(dir, true);
                }
            }
        }
    }
}
