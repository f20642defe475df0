package io.tickbus.sequencer;

import io.tickbus.client.TickbusCounters;
import org.agrona.concurrent.status.CountersReader;

/**
 * Aeron counter type ids of the sequencer service and client, inside the range
 * {@link TickbusCounters#SEQUENCER_BASE} .. +19.
 */
public final class SequencerCounters
{
    /** Messages given a global sequence. */
    public static final int SEQUENCED = TickbusCounters.SEQUENCER_BASE;
    /** Messages dropped as duplicates of (feed id, source seq) already sequenced. */
    public static final int DUPLICATES = TickbusCounters.SEQUENCER_BASE + 1;
    /** Ingress messages dropped as malformed (short, foreign schema, unknown template, bad source seq). */
    public static final int MALFORMED = TickbusCounters.SEQUENCER_BASE + 2;
    /** Ingress messages dropped because their feed id is not the one the session authenticated as. */
    public static final int WRONG_FEED = TickbusCounters.SEQUENCER_BASE + 3;
    /** The last global sequence assigned. */
    public static final int GLOBAL_SEQ = TickbusCounters.SEQUENCER_BASE + 4;
    /**
     * Offers of the sequenced stream the publication refused (back pressure, not connected, admin action); the
     * member keeps its place and retries from background work, so a refusal never loses a message.
     */
    public static final int PUBLISH_REFUSED = TickbusCounters.SEQUENCER_BASE + 5;
    /**
     * Sequenced messages evicted from the retained tail before this member could publish them: the only way a
     * member's output misses a committed message (the other members' output and the archive still carry it).
     */
    public static final int UNPUBLISHED_EVICTED = TickbusCounters.SEQUENCER_BASE + 6;
    /** Connect requests rejected by the feed authenticator. */
    public static final int AUTH_REJECTED = TickbusCounters.SEQUENCER_BASE + 7;
    /** Errors reported to the service's error handler. */
    public static final int ERRORS = TickbusCounters.SEQUENCER_BASE + 8;
    /** Sequenced messages this member holds that its publication has not yet taken (its output's lag). */
    public static final int PUBLISH_BACKLOG = TickbusCounters.SEQUENCER_BASE + 9;

    /** Client: messages sent on ingress, resends included. */
    public static final int CLIENT_SENT = TickbusCounters.SEQUENCER_BASE + 10;
    /** Client: messages resent after a leader change or reconnect. */
    public static final int CLIENT_RESENT = TickbusCounters.SEQUENCER_BASE + 11;
    /** Client: messages acknowledged by the cluster. */
    public static final int CLIENT_ACKED = TickbusCounters.SEQUENCER_BASE + 12;
    /** Client: messages dropped because the unacknowledged window stayed full past the bound. */
    public static final int CLIENT_DROPPED = TickbusCounters.SEQUENCER_BASE + 13;
    /** Client: messages refused before sending (not Tickbus, wrong feed id, source seq not increasing). */
    public static final int CLIENT_REJECTED = TickbusCounters.SEQUENCER_BASE + 14;
    /** Client: leader changes seen. */
    public static final int CLIENT_LEADER_CHANGES = TickbusCounters.SEQUENCER_BASE + 15;
    /** Client: highest source sequence the cluster acknowledged (a gauge; outlives a killed client in cnc.dat). */
    public static final int CLIENT_LAST_ACKED_SOURCE_SEQ = TickbusCounters.SEQUENCER_BASE + 16;
    /** Client: the cluster's global sequence in the latest ack (a gauge). */
    public static final int CLIENT_LAST_ACKED_GLOBAL_SEQ = TickbusCounters.SEQUENCER_BASE + 17;
    /** Client: GapNotices sent for messages dropped with the window full (drop policy). */
    public static final int CLIENT_GAP_NOTICES = TickbusCounters.SEQUENCER_BASE + 18;

    private SequencerCounters()
    {
    }

    /**
     * Read a counter of this type from a driver's counters (a member's driver holds one of each).
     *
     * @param counters the driver's counters, e.g. {@code aeron.countersReader()}.
     * @param typeId one of the type ids above.
     * @return the value of the first allocated counter of that type, or -1 when there is none.
     */
    public static long value(final CountersReader counters, final int typeId)
    {
        final long[] found = {-1};
        counters.forEach((counterId, type, keyBuffer, label) ->
        {
            if (type == typeId && -1 == found[0] &&
                CountersReader.RECORD_ALLOCATED == counters.getCounterState(counterId))
            {
                found[0] = counters.getCounterValue(counterId);
            }
        });
        return found[0];
    }
}
