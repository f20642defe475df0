package io.tickbus.feed.sim;

import io.tickbus.feed.itch.MoldUdp64Decoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * The recent MoldUDP64 packets a venue sent, for its re-request server ({@link RerequestServer}): a bounded ring of
 * whole packets (at most {@code maxPackets} and {@code capacityBytes}; the oldest go first), of the current session
 * only (a new session empties it). {@link #answer} copies the messages of a requested range into an answer packet.
 * <p>
 * Threading: {@link #record} on the sending thread, {@link #answer} on the server's; both synchronize on this.
 * Allocation: the ring at construction; nothing per packet or answer.
 */
public final class MoldUdp64History
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final UnsafeBuffer ring;
    private final long[] seq;
    private final int[] count;
    private final int[] offset;
    private final int[] length;
    private final UnsafeBuffer session = new UnsafeBuffer(new byte[MoldUdp64Decoder.SESSION_LENGTH]);
    private boolean haveSession;
    private int first;
    private int size;
    private int write;
    private long recorded;

    /**
     * @param maxPackets packets kept at most.
     * @param capacityBytes bytes kept at most (at least one 64 KiB datagram).
     */
    public MoldUdp64History(final int maxPackets, final int capacityBytes)
    {
        if (maxPackets < 1 || capacityBytes < 64 * 1024)
        {
            throw new IllegalArgumentException("history: packets >= 1, bytes >= 64 KiB");
        }
        ring = new UnsafeBuffer(new byte[capacityBytes]);
        seq = new long[maxPackets];
        count = new int[maxPackets];
        offset = new int[maxPackets];
        length = new int[maxPackets];
    }

    /**
     * Keep a sent packet if it carries messages (heartbeats and end of session take no number and are not kept).
     *
     * @param buffer holding the packet.
     * @param packetOffset of it.
     * @param packetLength of it.
     */
    public synchronized void record(final DirectBuffer buffer, final int packetOffset, final int packetLength)
    {
        if (packetLength < MoldUdp64Decoder.HEADER_LENGTH)
        {
            return;
        }
        final int n = buffer.getShort(packetOffset + MoldUdp64Decoder.COUNT_OFFSET, ORDER) & 0xFFFF;
        final long firstSeq = buffer.getLong(packetOffset + MoldUdp64Decoder.SEQUENCE_OFFSET, ORDER);
        if (!sameSession(buffer, packetOffset))
        {
            session.putBytes(0, buffer, packetOffset, MoldUdp64Decoder.SESSION_LENGTH);
            haveSession = true;
            first = 0;
            size = 0;
            write = 0;
        }
        if (0 == n || MoldUdp64Decoder.END_OF_SESSION_COUNT == n || firstSeq < 1)
        {
            return;
        }
        if (write + packetLength > ring.capacity())
        {
            write = 0;
        }
        while (size > 0 && (size == seq.length ||
            (offset[first] < write + packetLength && offset[first] + length[first] > write)))
        {
            first = (first + 1) % seq.length;
            size--;
        }
        final int slot = (first + size) % seq.length;
        ring.putBytes(write, buffer, packetOffset, packetLength);
        seq[slot] = firstSeq;
        count[slot] = n;
        offset[slot] = write;
        length[slot] = packetLength;
        write += packetLength;
        size++;
        recorded++;
    }

    /**
     * Build the answer to a request: a MoldUDP64 packet of the session holding the messages from {@code fromSeq} on,
     * as many as fit {@code maxBytes} and {@code maxCount}.
     *
     * @param requestBuffer holding the request's session (first 10 bytes at requestOffset).
     * @param requestOffset of the request.
     * @param fromSeq first message wanted.
     * @param maxCount messages wanted at most.
     * @param answer where the answer packet is written from 0.
     * @param maxBytes largest answer packet.
     * @return answer length, or 0 when the session is not this one or the history lacks {@code fromSeq}.
     */
    public synchronized int answer(
        final DirectBuffer requestBuffer,
        final int requestOffset,
        final long fromSeq,
        final int maxCount,
        final MutableDirectBuffer answer,
        final int maxBytes)
    {
        if (!haveSession || !sameSession(requestBuffer, requestOffset) || maxCount < 1)
        {
            return 0;
        }
        int i = find(fromSeq);
        if (i < 0)
        {
            return 0;
        }
        answer.putBytes(0, session, 0, MoldUdp64Decoder.SESSION_LENGTH);
        answer.putLong(MoldUdp64Decoder.SEQUENCE_OFFSET, fromSeq, ORDER);
        int at = MoldUdp64Decoder.HEADER_LENGTH;
        int n = 0;
        long next = fromSeq;
        while (i >= 0 && n < maxCount)
        {
            final int slot = (first + i) % seq.length;
            int p = offset[slot] + MoldUdp64Decoder.HEADER_LENGTH;
            final int end = offset[slot] + length[slot];
            for (long s = seq[slot]; s < seq[slot] + count[slot] && p + 2 <= end && n < maxCount; s++)
            {
                final int block = 2 + (ring.getShort(p, ORDER) & 0xFFFF);
                if (s >= next)
                {
                    if (at + block > maxBytes || p + block > end)
                    {
                        i = -1;
                        break;
                    }
                    answer.putBytes(at, ring, p, block);
                    at += block;
                    n++;
                    next = s + 1;
                }
                p += block;
            }
            if (i >= 0)
            {
                i = i + 1 < size && seq[(first + i + 1) % seq.length] == next ? i + 1 : -1;
            }
        }
        if (0 == n)
        {
            return 0;
        }
        answer.putShort(MoldUdp64Decoder.COUNT_OFFSET, (short)n, ORDER);
        return at;
    }

    /** @return packets recorded since the start. */
    public synchronized long recorded()
    {
        return recorded;
    }

    /** @return packets kept now. */
    public synchronized int size()
    {
        return size;
    }

    /** @return index (0 = oldest kept) of the packet holding the message, -1 when none does. */
    private int find(final long message)
    {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            final int slot = (first + mid) % seq.length;
            if (message < seq[slot])
            {
                hi = mid - 1;
            }
            else if (message >= seq[slot] + count[slot])
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }
        return -1;
    }

    private boolean sameSession(final DirectBuffer buffer, final int at)
    {
        if (!haveSession)
        {
            return false;
        }
        for (int i = 0; i < MoldUdp64Decoder.SESSION_LENGTH; i++)
        {
            if (session.getByte(i) != buffer.getByte(at + i))
            {
                return false;
            }
        }
        return true;
    }
}
