package io.tickbus.feed.itch;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.MessageEncoders;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.VenueSequenceTracker;
import io.tickbus.sbe.GapReason;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * NASDAQ MoldUDP64 downstream packets carrying TotalView-ITCH 5.0 messages: session (10 ASCII), sequence number
 * of the first message (8), message count (2), then per message a 2-byte length and the message. All big-endian.
 * A count of 0 is a heartbeat, 0xFFFF the end of the session.
 * <p>
 * Sequence numbers are checked per session by a {@link VenueSequenceTracker}: a packet starting after the next
 * expected sequence is a gap, published as a {@code GapNotice} (VENUE_GAP, the missing range) and reported to
 * {@link FeedStats#onGap}; a packet (or its leading part) already seen is skipped as a duplicate; a new session name
 * resets the expectation; a jump beyond the context's {@link DecoderContext#maxSequenceJump()}, or a sequence outside
 * the derived source sequence space, is counted malformed and skipped whole without moving the expectation. A
 * packet with sequence number 0 (MoldUDP64 numbers from 1; sample captures that were re-wrapped carry 0) is
 * decoded without sequence checks.
 * <p>
 * A message length that runs past the end of the packet stops decoding of that packet (the framing is lost) and
 * is counted as malformed; a message that is itself malformed is skipped and the next one decoded; bytes left
 * after the packet's last message (an oversized packet) are counted as malformed once the messages are decoded.
 * <p>
 * Threading: one thread. Allocation: none per packet.
 */
public final class MoldUdp64Decoder implements PacketDecoder
{
    /** Length of the MoldUDP64 header. */
    public static final int HEADER_LENGTH = 20;
    /** Length of the session field. */
    public static final int SESSION_LENGTH = 10;
    /** Offset of the sequence number. */
    public static final int SEQUENCE_OFFSET = 10;
    /** Offset of the message count. */
    public static final int COUNT_OFFSET = 18;
    /** Message count of an end-of-session packet. */
    public static final int END_OF_SESSION_COUNT = 0xFFFF;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final ItchNormalizer normalizer;
    private final FeedStats stats;
    private final UnsafeBuffer session = new UnsafeBuffer(new byte[SESSION_LENGTH]);
    private final VenueSequenceTracker tracker;
    private boolean haveSession;
    private long duplicates;
    private boolean endOfSession;

    /**
     * @param ctx sink, stats, feed id and trading date.
     */
    public MoldUdp64Decoder(final DecoderContext ctx)
    {
        ctx.conclude();
        this.stats = ctx.stats();
        this.normalizer = new ItchNormalizer(ctx);
        this.tracker = ctx.newSequenceTracker();
    }

    /** @return the ITCH normalizer behind this framing. */
    public ItchNormalizer normalizer()
    {
        return normalizer;
    }

    /** @return the current session's sequence expectation. */
    public VenueSequenceTracker sequenceTracker()
    {
        return tracker;
    }

    /** @return messages skipped because their sequence number was already seen. */
    public long duplicates()
    {
        return duplicates;
    }

    /** @return true once an end-of-session packet was seen. */
    public boolean isEndOfSession()
    {
        return endOfSession;
    }

    /** {@inheritDoc} */
    public boolean resume(final long nextVenueSeq, final int epoch)
    {
        normalizer.encoders().epoch(epoch);
        return tracker.resume(nextVenueSeq);
    }

    /** {@inheritDoc} */
    public void onPacket(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveTimeNs,
        final long packetNumber,
        final long fileOffset)
    {
        stats.onPacket();
        if (length < HEADER_LENGTH)
        {
            stats.onMalformed("MoldUDP64 packet of " + length + " bytes, shorter than its header", packetNumber,
                fileOffset);
            return;
        }
        final long sequence = buffer.getLong(offset + SEQUENCE_OFFSET, ORDER);
        final int count = buffer.getShort(offset + COUNT_OFFSET, ORDER) & 0xFFFF;
        final boolean sequenced = 0 != sequence;
        final boolean empty = 0 == count || END_OF_SESSION_COUNT == count;

        long skip = 0;
        if (sequenced)
        {
            checkSession(buffer, offset);
            final int taken = empty ? 0 : count;
            final int result = tracker.onPacket(sequence, taken);
            if (VenueSequenceTracker.OUT_OF_BOUNDS == result)
            {
                stats.onMalformed(tracker.describeOutOfBounds("MoldUDP64", sequence, taken), packetNumber, fileOffset);
                return;
            }
            if (VenueSequenceTracker.GAP == result)
            {
                publishGap(sequence, receiveTimeNs);
            }
            skip = tracker.duplicates();
            duplicates += skip;
        }

        if (empty)
        {
            if (END_OF_SESSION_COUNT == count)
            {
                endOfSession = true;
            }
            stats.onHeartbeat();
            return;
        }

        int position = offset + HEADER_LENGTH;
        final int end = offset + length;
        boolean framed = true; // false once this packet was reported malformed: count it once
        for (int i = 0; i < count; i++)
        {
            if (position + 2 > end)
            {
                stats.onMalformed("MoldUDP64 packet ends after " + i + " of " + count + " messages", packetNumber,
                    fileOffset);
                framed = false;
                break;
            }
            final int messageLength = buffer.getShort(position, ORDER) & 0xFFFF;
            position += 2;
            if (position + messageLength > end)
            {
                stats.onMalformed("MoldUDP64 message " + (i + 1) + " length " + messageLength + " runs past the " +
                    "packet end (" + (end - position) + " bytes left)", packetNumber, fileOffset);
                framed = false;
                break;
            }
            if (i >= skip)
            {
                final long messageSeq = sequenced ? sequence + i : 0;
                normalizer.encoders().flags(i == count - 1 ? MessageEncoders.FLAG_LAST_IN_PACKET : 0);
                if (!normalizer.onMessage(buffer, position, messageLength, messageSeq, receiveTimeNs, packetNumber,
                    fileOffset))
                {
                    framed = false;
                }
            }
            position += messageLength;
        }
        normalizer.encoders().flags((short)0);
        if (framed && position < end)
        {
            stats.onMalformed("MoldUDP64 packet has " + (end - position) + " bytes after its " + count +
                " messages (oversized)", packetNumber, fileOffset);
        }
    }

    private void checkSession(final DirectBuffer buffer, final int offset)
    {
        if (haveSession && 0 == session.compareTo(sessionView(buffer, offset)))
        {
            return;
        }
        session.putBytes(0, buffer, offset, SESSION_LENGTH);
        if (haveSession)
        {
            tracker.reset(); // a new session numbers from 1 again; the first one may carry a resumed expectation
            normalizer.encoders().nextEpoch();
        }
        haveSession = true;
        endOfSession = false;
    }

    private final UnsafeBuffer sessionView = new UnsafeBuffer(0, 0);

    private UnsafeBuffer sessionView(final DirectBuffer buffer, final int offset)
    {
        sessionView.wrap(buffer, offset, SESSION_LENGTH);
        return sessionView;
    }

    private void publishGap(final long sequence, final long receiveTimeNs)
    {
        final long from = tracker.gapFrom();
        final long to = from + tracker.gapCount() - 1;
        stats.onGap(from, to);
        normalizer.sequence().begin(sequence); // the notice comes before the message at `sequence`
        normalizer.encoders().publishGapNotice(
            normalizer.sequence().gapNotice(), 0, receiveTimeNs, from, to, GapReason.VENUE_GAP);
    }
}
