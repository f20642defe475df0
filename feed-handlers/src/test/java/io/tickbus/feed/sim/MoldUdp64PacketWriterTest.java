package io.tickbus.feed.sim;

import io.tickbus.feed.itch.MoldUdp64Decoder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MoldUdp64PacketWriter on its own: packets never longer than the bound, consecutive sequence numbers, the
 * message blocks as written, heartbeats only after an idle interval, the end of session, and clear errors for a
 * bad session name or packet size.
 */
@Timeout(10)
class MoldUdp64PacketWriterTest
{
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;

    private final Packets packets = new Packets();

    @Test
    void packsMessagesUpToTheBoundWithConsecutiveSequences()
    {
        final MoldUdp64PacketWriter writer = new MoldUdp64PacketWriter(packets, "SESSION1", 200, () -> 0);
        for (int i = 0; i < 20; i++)
        {
            final int m = writer.begin(30);
            writer.buffer().putInt(m, i, BE);
        }
        assertEquals(1, writer.flush(5));
        assertEquals(0, writer.flush(6), "nothing left to send");

        long expectedSeq = 1;
        int message = 0;
        for (final byte[] p : packets.sent)
        {
            assertTrue(p.length <= 200, "packet of " + p.length + " bytes");
            final ByteBuffer bb = ByteBuffer.wrap(p).order(BE);
            assertEquals("SESSION1  ", new String(p, 0, 10, StandardCharsets.US_ASCII));
            assertEquals(expectedSeq, bb.getLong(MoldUdp64Decoder.SEQUENCE_OFFSET));
            final int count = bb.getShort(MoldUdp64Decoder.COUNT_OFFSET) & 0xFFFF;
            int offset = MoldUdp64Decoder.HEADER_LENGTH;
            for (int i = 0; i < count; i++)
            {
                assertEquals(30, bb.getShort(offset));
                assertEquals(message++, bb.getInt(offset + 2));
                offset += 2 + 30;
            }
            assertEquals(p.length, offset);
            expectedSeq += count;
        }
        assertEquals(20, message);
        assertEquals(21, writer.nextSequence());
        assertEquals(4, packets.sent.size(), "5 messages of 32 bytes and the 20-byte header fit in 200");
        assertEquals(5, writer.lastSendNs());
    }

    @Test
    void heartbeatOnlyAfterAnIdleIntervalThenEndOfSession()
    {
        final MoldUdp64PacketWriter writer = new MoldUdp64PacketWriter(packets, "S", 1400, () -> 0);
        writer.start(1_000);
        assertEquals(0, writer.heartbeatIfIdle(1_999, 1_000));
        assertEquals(1, writer.heartbeatIfIdle(2_000, 1_000));
        assertEquals(0, writer.heartbeatIfIdle(2_500, 1_000), "the heartbeat restarts the interval");
        writer.begin(10);
        writer.flush(2_600);
        assertEquals(0, writer.heartbeatIfIdle(3_599, 1_000), "a data packet restarts the interval");
        writer.endOfSession();

        assertEquals(3, packets.sent.size());
        assertEquals(MoldUdp64Decoder.HEADER_LENGTH, packets.sent.get(0).length);
        assertEquals(0, count(packets.sent.get(0)));
        assertEquals(MoldUdp64Decoder.END_OF_SESSION_COUNT, count(packets.sent.get(2)));
        assertEquals(2, ByteBuffer.wrap(packets.sent.get(2)).order(BE)
            .getLong(MoldUdp64Decoder.SEQUENCE_OFFSET), "end of session carries the next sequence");
        assertEquals(3, writer.packets());
    }

    @Test
    void badSessionOrPacketSizeIsRefused()
    {
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new MoldUdp64PacketWriter(packets, "ELEVENCHARS", 1400, () -> 0)).getMessage().contains("session"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new MoldUdp64PacketWriter(packets, "S", 127, () -> 0)).getMessage().contains("128..65507"));
    }

    private static int count(final byte[] packet)
    {
        return ByteBuffer.wrap(packet).order(BE).getShort(MoldUdp64Decoder.COUNT_OFFSET) & 0xFFFF;
    }

    /** Keeps a copy of every packet. */
    static final class Packets extends PacketOutput
    {
        final List<byte[]> sent = new ArrayList<>();

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            sent.add(copy);
        }

        public long packets()
        {
            return sent.size();
        }

        public void close()
        {
        }
    }
}
