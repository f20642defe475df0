package io.tickbus.feed.itch;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The MoldUDP64 re-request packet, as the MoldUDP64 specification gives it: session (10 bytes, the session of the
 * stream), sequence number (8 bytes, big-endian, the first message wanted) and requested message count (2 bytes,
 * big-endian), 20 bytes in all, sent to the venue's re-request endpoint. The server answers with normal MoldUDP64
 * packets holding those messages.
 * <p>
 * Threading: stateless. Allocation: none.
 */
public final class MoldUdp64Rerequest
{
    /** Length of a request packet. */
    public static final int LENGTH = 20;
    /** Largest count a request can carry (0xFFFF is MoldUDP64's end-of-session marker, never asked for). */
    public static final int MAX_COUNT = 0xFFFE;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private MoldUdp64Rerequest()
    {
    }

    /**
     * Write a request.
     *
     * @param buffer to write into, at least {@link #LENGTH} bytes from offset.
     * @param offset where the request starts.
     * @param sessionHigh first 8 bytes of the session (as {@code VenueFraming.sessionHigh()}).
     * @param sessionLow last 2 bytes of the session.
     * @param firstSeq first message wanted, >= 1.
     * @param count messages wanted, 1..{@link #MAX_COUNT}.
     * @return {@link #LENGTH}.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final long sessionHigh,
        final long sessionLow,
        final long firstSeq,
        final int count)
    {
        buffer.putLong(offset, sessionHigh, ORDER);
        buffer.putShort(offset + 8, (short)sessionLow, ORDER);
        buffer.putLong(offset + MoldUdp64Decoder.SEQUENCE_OFFSET, firstSeq, ORDER);
        buffer.putShort(offset + MoldUdp64Decoder.COUNT_OFFSET, (short)count, ORDER);
        return LENGTH;
    }

    /**
     * @param length of a received request.
     * @param buffer holding it.
     * @param offset of it.
     * @return true when it is a well-formed request: exactly {@link #LENGTH} bytes, sequence >= 1, count
     *         1..{@link #MAX_COUNT}.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        return LENGTH == length && firstSeq(buffer, offset) >= 1 && count(buffer, offset) >= 1 &&
            count(buffer, offset) <= MAX_COUNT;
    }

    /**
     * @param buffer holding a request.
     * @param offset of it.
     * @return its first 8 session bytes.
     */
    public static long sessionHigh(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset, ORDER);
    }

    /**
     * @param buffer holding a request.
     * @param offset of it.
     * @return its last 2 session bytes.
     */
    public static long sessionLow(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + 8, ORDER);
    }

    /**
     * @param buffer holding a request.
     * @param offset of it.
     * @return the first message asked for.
     */
    public static long firstSeq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + MoldUdp64Decoder.SEQUENCE_OFFSET, ORDER);
    }

    /**
     * @param buffer holding a request.
     * @param offset of it.
     * @return messages asked for.
     */
    public static int count(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + MoldUdp64Decoder.COUNT_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * Check the framing of a MoldUDP64 data packet (an answer): a header, then exactly its count of message blocks
     * (2-byte big-endian length, then the message), nothing after.
     *
     * @param buffer holding the packet.
     * @param offset of it.
     * @param length of it.
     * @return true when the blocks fill the packet exactly and there is at least one.
     */
    public static boolean isWellFormedAnswer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MoldUdp64Decoder.HEADER_LENGTH)
        {
            return false;
        }
        final int count = buffer.getShort(offset + MoldUdp64Decoder.COUNT_OFFSET, ORDER) & 0xFFFF;
        if (0 == count || MoldUdp64Decoder.END_OF_SESSION_COUNT == count ||
            buffer.getLong(offset + MoldUdp64Decoder.SEQUENCE_OFFSET, ORDER) < 1)
        {
            return false;
        }
        int at = MoldUdp64Decoder.HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            if (at + 2 > length)
            {
                return false;
            }
            final int messageLength = buffer.getShort(offset + at, ORDER) & 0xFFFF;
            if (0 == messageLength)
            {
                return false;
            }
            at += 2 + messageLength;
        }
        return at == length;
    }
}
