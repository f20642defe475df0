package io.tickbus.feed.cme;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.DerivedSequence;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.InstrumentIds;
import io.tickbus.feed.MessageEncoders;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.VenueSequenceTracker;
import io.tickbus.sbe.GapReason;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * CME Globex MDP 3.0 packets: a 4-byte sequence number, an 8-byte sending time, then messages of a 2-byte size
 * (counting itself) and an SBE message header, all little-endian. Frames the packet, checks its sequence, and hands
 * each message to the {@link Mdp3Normalizer}.
 * <p>
 * Before anything is published the sizes must frame the packet exactly; a packet whose sizes do not add up, or that
 * is shorter than its header or longer than its entries' positions can number ({@link DerivedSequence#MAX_POSITION}),
 * is counted malformed and dropped whole.
 * <p>
 * Sequence ({@link VenueSequenceTracker}, one number per packet): a packet number above the one expected publishes
 * a gap notice; below it is a duplicate (the A/B feed copy) and skipped, except 1 which is CME's sequence reset (a
 * new epoch and a SEQUENCE_RESET notice); a jump beyond {@link DecoderContext#maxSequenceJump()} is counted malformed
 * and skipped without moving the expectation.
 * <p>
 * Threading: one thread. Allocation: the normalizer's at construction; none per packet.
 */
public final class Mdp3PacketDecoder implements PacketDecoder
{
    /** Packet header: sequence number (uint32) and sending time (uint64). */
    public static final int PACKET_HEADER_LENGTH = 12;
    /** Message size field (uint16, counts itself). */
    public static final int MESSAGE_SIZE_LENGTH = 2;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final FeedStats stats;
    private final Mdp3Normalizer normalizer;
    private final MessageEncoders encoders;
    private final DerivedSequence sequence;
    private final VenueSequenceTracker tracker;
    private long duplicatesSkipped;

    /**
     * @param ctx sink, stats and feed id (concluded here).
     */
    public Mdp3PacketDecoder(final DecoderContext ctx)
    {
        ctx.conclude();
        this.stats = ctx.stats();
        this.normalizer = new Mdp3Normalizer(ctx);
        this.encoders = normalizer.encoders();
        this.sequence = normalizer.sequence();
        this.tracker = ctx.newSequenceTracker();
    }

    /** @return the normalizer behind this framing. */
    public Mdp3Normalizer normalizer()
    {
        return normalizer;
    }

    /** @return the packet sequence expectation. */
    public VenueSequenceTracker sequenceTracker()
    {
        return tracker;
    }

    /** @return the encoders (and their publish counts). */
    public MessageEncoders encoders()
    {
        return encoders;
    }

    /** @return security ids with a definition, and their symbols. */
    public InstrumentIds instrumentIds()
    {
        return normalizer.instrumentIds();
    }

    /** @return packets skipped as duplicates of ones already decoded. */
    public long duplicatesSkipped()
    {
        return duplicatesSkipped;
    }

    /** {@inheritDoc} */
    public boolean resume(final long nextVenueSeq, final int epoch)
    {
        encoders.epoch(epoch);
        return tracker.resume(nextVenueSeq);
    }

    /**
     * {@inheritDoc}
     * <p>
     * The packet's messages are published in packet mode ({@link MessageEncoders#beginPacket()}), so the last one
     * carries {@link MessageEncoders#FLAG_LAST_IN_PACKET} and the one ending a CME event
     * {@link MessageEncoders#FLAG_END_OF_EVENT}.
     */
    public void onPacket(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveTimeNs,
        final long packetNumber,
        final long fileOffset)
    {
        encoders.beginPacket();
        try
        {
            decodePacket(buffer, offset, length, receiveTimeNs, packetNumber, fileOffset);
        }
        finally
        {
            encoders.endPacket();
        }
    }

    private void decodePacket(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveTimeNs,
        final long packetNumber,
        final long fileOffset)
    {
        stats.onPacket();
        if (length < PACKET_HEADER_LENGTH)
        {
            stats.onMalformed("MDP3 packet shorter than its 12-byte header", packetNumber, fileOffset);
            return;
        }
        if (length > DerivedSequence.MAX_POSITION)
        {
            stats.onMalformed("MDP3 packet longer than " + DerivedSequence.MAX_POSITION +
                " bytes (its entries' positions would not number apart)", packetNumber, fileOffset);
            return;
        }
        final long seq = buffer.getInt(offset, ORDER) & 0xFFFF_FFFFL;
        final long sendingTime = buffer.getLong(offset + 4, ORDER);
        final int end = offset + length;
        if (!framesExactly(buffer, offset + PACKET_HEADER_LENGTH, end))
        {
            stats.onMalformed("MDP3 message sizes do not add up to the packet length", packetNumber, fileOffset);
            return;
        }
        if (!checkSequence(seq, sendingTime, receiveTimeNs, packetNumber, fileOffset))
        {
            return;
        }

        normalizer.beginPacket(sendingTime, receiveTimeNs);
        sequence.begin(seq);
        boolean anyData = false;
        int position = offset + PACKET_HEADER_LENGTH;
        while (position < end)
        {
            final int size = buffer.getShort(position, ORDER) & 0xFFFF;
            anyData |= normalizer.onMessage(buffer, position, size, position - offset, packetNumber, fileOffset);
            position += size;
        }
        if (!anyData)
        {
            stats.onHeartbeat();
        }
    }

    private static boolean framesExactly(final DirectBuffer buffer, final int start, final int end)
    {
        int position = start;
        while (position + MESSAGE_SIZE_LENGTH <= end)
        {
            final int size = buffer.getShort(position, ORDER) & 0xFFFF;
            if (size < Mdp3Normalizer.ROOT_OFFSET || position + size > end)
            {
                return false;
            }
            position += size;
        }
        return position == end;
    }

    private boolean checkSequence(
        final long seq, final long sendingTime, final long receiveTimeNs, final long packetNumber, final long fileOffset)
    {
        final long expected = tracker.expected();
        final boolean reset = 1 == seq && VenueSequenceTracker.NONE != expected && expected > 1;
        if (reset)
        {
            tracker.reset();
            encoders.nextEpoch(); // the reset notice already belongs to the new epoch
        }
        switch (tracker.onPacket(seq, 1))
        {
            case VenueSequenceTracker.OUT_OF_BOUNDS:
                stats.onMalformed(tracker.describeOutOfBounds("MDP3", seq, 1), packetNumber, fileOffset);
                return false;

            case VenueSequenceTracker.DUPLICATE:
                duplicatesSkipped++;
                return false;

            case VenueSequenceTracker.GAP:
                final long from = tracker.gapFrom();
                final long to = from + tracker.gapCount() - 1;
                stats.onGap(from, to);
                sequence.begin(seq);
                encoders.publishGapNotice(
                    sequence.gapNotice(), sendingTime, receiveTimeNs, from, to, GapReason.VENUE_GAP);
                return true;

            default:
                if (reset)
                {
                    sequence.begin(seq);
                    encoders.publishGapNotice(
                        sequence.gapNotice(), sendingTime, receiveTimeNs, seq, seq, GapReason.SEQUENCE_RESET);
                }
                return true;
        }
    }
}
