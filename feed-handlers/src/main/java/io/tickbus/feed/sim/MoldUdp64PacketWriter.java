package io.tickbus.feed.sim;

import io.tickbus.feed.itch.MoldUdp64Decoder;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Packs messages into MoldUDP64 downstream packets and sends them to a {@link PacketOutput}: the session name, the
 * sequence number of the packet's first message and its message count in the header, then each message as a
 * message block (a 2-byte big-endian length, then the message). It numbers the messages (the next packet starts at
 * {@link #nextSequence()}) and sends the packet when the next message would not fit in {@code maxPacketBytes} or
 * the count would reach 0xFFFF (a reserved count); it sends the empty heartbeat and end-of-session packets.
 * What a message holds is the caller's: {@link #begin(int)} gives it a zeroed slot to write into.
 * <p>
 * Threading: one thread. Allocation: the packet buffer at construction, nothing per message or packet.
 */
public final class MoldUdp64PacketWriter implements AutoCloseable
{
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    /** Most messages in one packet: 0xFFFF means end of session, and the count is written before it is reached. */
    private static final int MAX_COUNT = 0xFFFE;

    private final PacketOutput output;
    private final NanoClock nanoClock;
    private final int maxPacketBytes;
    private final UnsafeBuffer packet = new UnsafeBuffer(new byte[64 * 1024]);
    private int packetLength = MoldUdp64Decoder.HEADER_LENGTH;
    private int packetCount;
    private long nextSeq = 1;
    private long lastSendNs;

    /**
     * @param output where packets go.
     * @param session MoldUDP64 session name, up to 10 characters (space padded).
     * @param maxPacketBytes largest packet (UDP payload bytes), 128..65507.
     * @param nanoClock the time a packet sent from {@link #begin(int)} is recorded at.
     */
    public MoldUdp64PacketWriter(
        final PacketOutput output, final String session, final int maxPacketBytes, final NanoClock nanoClock)
    {
        if (session.length() > MoldUdp64Decoder.SESSION_LENGTH)
        {
            throw new IllegalArgumentException("session name longer than 10 characters: " + session);
        }
        if (maxPacketBytes < 128 || maxPacketBytes > 65507)
        {
            throw new IllegalArgumentException("max packet bytes must be 128..65507: " + maxPacketBytes);
        }
        this.output = output;
        this.maxPacketBytes = maxPacketBytes;
        this.nanoClock = nanoClock;
        packet.putBytes(0, spacePadded(session, MoldUdp64Decoder.SESSION_LENGTH));
    }

    /**
     * Start a message block in the current packet, sending the packet first when the message does not fit.
     *
     * @param messageLength length of the message, without the block's length field.
     * @return offset in {@link #buffer()} of the message, whose bytes are zeroed.
     */
    public int begin(final int messageLength)
    {
        if (packetLength + 2 + messageLength > maxPacketBytes || packetCount == MAX_COUNT)
        {
            flush(nanoClock.nanoTime());
        }
        packet.putShort(packetLength, (short)messageLength, BE);
        final int m = packetLength + 2;
        packet.setMemory(m, messageLength, (byte)0);
        packetLength = m + messageLength;
        packetCount++;
        return m;
    }

    /** @return the packet being written; messages go at the offsets {@link #begin(int)} returns. */
    public UnsafeBuffer buffer()
    {
        return packet;
    }

    /**
     * Send the current packet, if it holds a message.
     *
     * @param nowNs the time it is sent, for {@link #lastSendNs()}.
     * @return 1 when a packet was sent, 0 when there was none.
     */
    public int flush(final long nowNs)
    {
        if (0 == packetCount)
        {
            return 0;
        }
        packet.putLong(MoldUdp64Decoder.SEQUENCE_OFFSET, nextSeq, BE);
        packet.putShort(MoldUdp64Decoder.COUNT_OFFSET, (short)packetCount, BE);
        output.send(packet, 0, packetLength);
        nextSeq += packetCount;
        packetCount = 0;
        packetLength = MoldUdp64Decoder.HEADER_LENGTH;
        lastSendNs = nowNs;
        return 1;
    }

    /**
     * Send a heartbeat (count 0, the next sequence number) when nothing was sent for an interval.
     *
     * @param nowNs the time now.
     * @param intervalNs how long without packets calls for a heartbeat.
     * @return 1 when a heartbeat was sent, else 0.
     */
    public int heartbeatIfIdle(final long nowNs, final long intervalNs)
    {
        if (nowNs - lastSendNs < intervalNs)
        {
            return 0;
        }
        sendEmpty(0);
        lastSendNs = nowNs;
        return 1;
    }

    /** Send the end-of-session packet (count 0xFFFF, the next sequence number); the current packet is not sent. */
    public void endOfSession()
    {
        sendEmpty(MoldUdp64Decoder.END_OF_SESSION_COUNT);
    }

    /**
     * @param nowNs the time the session starts: the heartbeat interval counts from it until a packet is sent.
     */
    public void start(final long nowNs)
    {
        lastSendNs = nowNs;
    }

    /** @return the time the last data packet or heartbeat was sent (or the session started). */
    public long lastSendNs()
    {
        return lastSendNs;
    }

    /** @return the sequence number of the next message. */
    public long nextSequence()
    {
        return nextSeq;
    }

    /** @return packets sent (data, heartbeat and end of session). */
    public long packets()
    {
        return output.packets();
    }

    /** Close the output. */
    public void close()
    {
        output.close();
    }

    private void sendEmpty(final int count)
    {
        packet.putLong(MoldUdp64Decoder.SEQUENCE_OFFSET, nextSeq, BE);
        packet.putShort(MoldUdp64Decoder.COUNT_OFFSET, (short)count, BE);
        output.send(packet, 0, MoldUdp64Decoder.HEADER_LENGTH);
    }

    /**
     * @param text ASCII text.
     * @param length field length.
     * @return the text in a field of that length, space padded on the right (cut when longer).
     */
    static byte[] spacePadded(final String text, final int length)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte)' ');
        for (int i = 0; i < Math.min(length, text.length()); i++)
        {
            bytes[i] = (byte)text.charAt(i);
        }
        return bytes;
    }
}
