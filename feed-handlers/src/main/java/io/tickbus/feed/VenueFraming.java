package io.tickbus.feed;

import io.tickbus.feed.iex.IexTp;
import io.tickbus.feed.itch.MoldUdp64Decoder;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * What the A/B {@link LineArbiter} reads of a venue packet before any decoding: its session, the sequence number
 * of its first message and how many numbers it takes. MoldUDP64: the 10-byte session and the sequence and count
 * of the header (a heartbeat or end of session takes none); IEX-TP: the session id and the first message sequence
 * and count; MDP3: the packet sequence number, one per packet, no session (a packet numbered 1 below the
 * expectation is CME's sequence reset).
 * <p>
 * Threading: one thread. Allocation: none.
 */
public final class VenueFraming
{
    /** MoldUDP64 (ITCH 5.0). */
    public static final int MOLD_UDP64 = 1;
    /** IEX-TP (TOPS, DEEP). */
    public static final int IEX_TP = 2;
    /** CME MDP 3.0 packet header. */
    public static final int MDP3 = 3;

    private final int kind;
    private long sessionHigh;
    private long sessionLow;
    private long firstSeq;
    private int count;
    private int emptyKind;
    private boolean sequenced;

    private VenueFraming(final int kind)
    {
        this.kind = kind;
    }

    /**
     * @param venue venue name (see {@link Venues#names()}).
     * @return the framing of its UDP packets.
     */
    public static VenueFraming of(final String venue)
    {
        return switch (Venues.validate(venue))
        {
            case Venues.ITCH5 -> new VenueFraming(MOLD_UDP64);
            case Venues.IEX_TOPS, Venues.IEX_DEEP -> new VenueFraming(IEX_TP);
            case Venues.CME_MDP3 -> new VenueFraming(MDP3);
            default -> throw new IllegalArgumentException("no A/B framing for venue " + venue);
        };
    }

    /**
     * Read a packet's header.
     *
     * @param buffer holding the packet.
     * @param offset of the packet.
     * @param length of the packet.
     * @return false when the packet is too short for its header (the decoder reports it).
     */
    public boolean read(final DirectBuffer buffer, final int offset, final int length)
    {
        switch (kind)
        {
            case MOLD_UDP64:
                if (length < MoldUdp64Decoder.HEADER_LENGTH)
                {
                    return false;
                }
                sessionHigh = buffer.getLong(offset, ByteOrder.BIG_ENDIAN);
                sessionLow = buffer.getShort(offset + 8, ByteOrder.BIG_ENDIAN);
                firstSeq = buffer.getLong(offset + MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
                final int moldCount = buffer.getShort(offset + MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN) &
                    0xFFFF;
                final boolean empty = 0 == moldCount || MoldUdp64Decoder.END_OF_SESSION_COUNT == moldCount;
                count = empty ? 0 : moldCount;
                emptyKind = moldCount;
                sequenced = 0 != firstSeq;
                return true;

            case IEX_TP:
                if (length < IexTp.HEADER_LENGTH)
                {
                    return false;
                }
                sessionHigh = buffer.getInt(offset + IexTp.SESSION_ID_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
                sessionLow = 0;
                firstSeq = buffer.getLong(offset + IexTp.FIRST_SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);
                count = buffer.getShort(offset + IexTp.MESSAGE_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                emptyKind = 0;
                sequenced = true;
                return true;

            default:
                if (length < 12)
                {
                    return false;
                }
                sessionHigh = 0;
                sessionLow = 0;
                firstSeq = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
                count = 1;
                emptyKind = 0;
                sequenced = true;
                return true;
        }
    }

    /** @return true for MDP3, whose packet numbered 1 below the expectation is a sequence reset. */
    public boolean resetsAtOne()
    {
        return MDP3 == kind;
    }

    /** @return first 8 bytes of the session (MoldUDP64) or the session id (IEX-TP), 0 for MDP3. */
    public long sessionHigh()
    {
        return sessionHigh;
    }

    /** @return last 2 bytes of a MoldUDP64 session, else 0. */
    public long sessionLow()
    {
        return sessionLow;
    }

    /** @return the venue sequence number of the packet's first message (MDP3: of the packet). */
    public long firstSeq()
    {
        return firstSeq;
    }

    /** @return sequence numbers the packet takes: 0 for a heartbeat or end of session. */
    public int count()
    {
        return count;
    }

    /** @return for a packet taking no number, what it is (MoldUDP64 count 0 heartbeat or 0xFFFF end), else 0. */
    public int emptyKind()
    {
        return emptyKind;
    }

    /** @return false for a MoldUDP64 packet numbered 0 (re-wrapped samples), which cannot be arbitrated. */
    public boolean isSequenced()
    {
        return sequenced;
    }
}
