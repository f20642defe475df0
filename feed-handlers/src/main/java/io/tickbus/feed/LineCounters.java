package io.tickbus.feed;

import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * {@link LineStats} as Aeron counters, four per A/B line of a running feed handler, so that {@code tickbus stat} and
 * AeronStat show them: packets received on the line, its copies used (won), its copies dropped as duplicates, and
 * times it went down.
 * <p>
 * Threading: written by the handler thread, read by any process. Allocation: none per packet.
 */
public final class LineCounters implements LineStats, AutoCloseable
{
    /** Counter type id: packets received on a line. */
    public static final int LINE_PACKETS_TYPE_ID = FeedCounters.HEARTBEATS_TYPE_ID + 1;
    /** Counter type id: a line's copies that were first and were used. */
    public static final int LINE_WON_TYPE_ID = FeedCounters.HEARTBEATS_TYPE_ID + 2;
    /** Counter type id: a line's copies dropped because another line's copy came first. */
    public static final int LINE_DUPLICATES_TYPE_ID = FeedCounters.HEARTBEATS_TYPE_ID + 3;
    /** Counter type id: times a line was reported down. */
    public static final int LINE_DOWN_TYPE_ID = FeedCounters.HEARTBEATS_TYPE_ID + 4;

    private final AtomicCounter[] packets;
    private final AtomicCounter[] won;
    private final AtomicCounter[] duplicates;
    private final AtomicCounter[] downs;

    /**
     * @param aeron client that allocates the counters.
     * @param name handler name used in the labels, e.g. "itch5 feed 1".
     * @param lineNames one per line, e.g. from {@link FeedHandlerAgent#lineNames(String[])}.
     */
    public LineCounters(final Aeron aeron, final String name, final String[] lineNames)
    {
        final int lines = lineNames.length;
        packets = new AtomicCounter[lines];
        won = new AtomicCounter[lines];
        duplicates = new AtomicCounter[lines];
        downs = new AtomicCounter[lines];
        for (int i = 0; i < lines; i++)
        {
            final String suffix = ": " + name + " " + lineNames[i];
            packets[i] = aeron.addCounter(LINE_PACKETS_TYPE_ID, "tickbus-feed line packets" + suffix);
            won[i] = aeron.addCounter(LINE_WON_TYPE_ID, "tickbus-feed line won" + suffix);
            duplicates[i] = aeron.addCounter(LINE_DUPLICATES_TYPE_ID, "tickbus-feed line duplicates" + suffix);
            downs[i] = aeron.addCounter(LINE_DOWN_TYPE_ID, "tickbus-feed line down" + suffix);
        }
    }

    /** {@inheritDoc} */
    public void onPacket(final int line)
    {
        packets[line].incrementRelease();
    }

    /** {@inheritDoc} */
    public void onWon(final int line)
    {
        won[line].incrementRelease();
    }

    /** {@inheritDoc} */
    public void onDuplicate(final int line)
    {
        duplicates[line].incrementRelease();
    }

    /** {@inheritDoc} */
    public void onLineState(final int line, final boolean down)
    {
        if (down)
        {
            downs[line].incrementRelease();
        }
    }

    /**
     * @param line line index.
     * @return times the line went down.
     */
    public long downs(final int line)
    {
        return downs[line].get();
    }

    /** Free the counters. */
    public void close()
    {
        CloseHelper.closeAll(packets);
        CloseHelper.closeAll(won);
        CloseHelper.closeAll(duplicates);
        CloseHelper.closeAll(downs);
    }
}
