package io.tickbus.feed.sim;

import io.tickbus.feed.pcap.CaptureReader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file outputs written, read back with the capture reader (pcap) or byte by byte (body file). */
@Timeout(30)
class PacketOutputTest
{
    private static final byte[][] PACKETS = { { 1, 2, 3, 4, 5 }, { 6, 7, 8 }, { 9, 10, 11, 12 } };
    private static final int PORT = 47_123;

    @TempDir
    Path dir;

    @Test
    void pcapOutputIsReadBackAsUdpPayloadsToItsPortWithTheClocksTimes() throws IOException
    {
        final Path file = dir.resolve("out.pcap");
        final long[] time = { 1_700_000_000_123_456_789L };
        try (PacketOutput out = PacketOutput.pcap(file, PORT, () -> time[0]))
        {
            for (final byte[] packet : PACKETS)
            {
                out.send(new UnsafeBuffer(packet), 0, packet.length);
                time[0] += 1_000;
            }
            assertEquals(PACKETS.length, out.packets());
        }

        try (CaptureReader reader = CaptureReader.open(file))
        {
            for (int i = 0; i < PACKETS.length; i++)
            {
                assertTrue(reader.next());
                assertArrayEquals(PACKETS[i], payload(reader.buffer(), reader.payloadOffset(), reader.payloadLength()));
                assertEquals(PORT, reader.destinationPort());
                assertEquals(1_700_000_000_123_456_789L + i * 1_000L, reader.captureTimeNs());
            }
            assertFalse(reader.next());
            assertEquals(0, reader.malformed());
        }
    }

    @Test
    void fileOutputWritesBodiesWithoutTheSkippedHeaderAndDropsPacketsNoLongerThanIt() throws IOException
    {
        final Path file = dir.resolve("out.bin");
        try (PacketOutput out = PacketOutput.file(file, 3))
        {
            for (final byte[] packet : PACKETS)
            {
                out.send(new UnsafeBuffer(packet), 0, packet.length);
            }
            assertEquals(2, out.packets()); // the 3-byte packet has no body
        }
        assertArrayEquals(new byte[]{ 4, 5, 12 }, Files.readAllBytes(file));
    }

    @Test
    void capturePlayerSendsEveryPayloadInOrder() throws IOException
    {
        final Path file = dir.resolve("play.pcap");
        try (PacketOutput out = PacketOutput.pcap(file, PORT, () -> 1_700_000_000_000_000_000L))
        {
            for (final byte[] packet : PACKETS)
            {
                out.send(new UnsafeBuffer(packet), 0, packet.length);
            }
        }
        final List<byte[]> sent = new ArrayList<>();
        final PacketOutput collect = new PacketOutput()
        {
            public void send(final DirectBuffer buffer, final int offset, final int length)
            {
                sent.add(payload(buffer, offset, length));
            }

            public long packets()
            {
                return sent.size();
            }

            public void close()
            {
            }
        };
        try (CapturePlayer player = new CapturePlayer(file, collect, 1.0, null))
        {
            for (int cycle = 0; cycle < 100 && !player.isDone(); cycle++)
            {
                player.doWork();
            }
            assertTrue(player.isDone());
            assertEquals(PACKETS.length, player.packetsSent());
        }
        for (int i = 0; i < PACKETS.length; i++)
        {
            assertArrayEquals(PACKETS[i], sent.get(i));
        }
    }

    private static byte[] payload(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
