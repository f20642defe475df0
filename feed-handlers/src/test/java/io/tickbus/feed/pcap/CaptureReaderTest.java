package io.tickbus.feed.pcap;

import io.tickbus.feed.TestSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CaptureReader on real captures: the truncated IEX pcapng, the VLAN-tagged nanosecond ITCH pcaps, and the same
 * records rewritten big-endian with microsecond timestamps.
 */
@Timeout(30)
class CaptureReaderTest
{
    @TempDir
    Path tmp;

    @Test
    void truncatedPcapngYieldsTwoPayloadsThenCountsTheCutBlock() throws IOException
    {
        final Path file = TestSupport.sharedData().resolve("iex").resolve("iex_tops16_20180103_excerpt.pcapng");
        Assumptions.assumeTrue(Files.isRegularFile(file));
        // Hand-decoded: SHB 1728 bytes, IDB (Ethernet, if_tsresol 6 = microseconds) at 0x6c0, EPBs at 0x71c
        // (UDP length 0x0030, ts 1514983023518791 us) and 0x790 (UDP length 0x05c5, to 233.215.21.3:10377),
        // then a 1532-byte EPB at 0xd98 with only 1486 bytes left in the file.
        final List<String> errors = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(file, (reason, packet, offset) ->
            errors.add(reason + "@" + packet + "/" + offset)))
        {
            assertTrue(reader.next());
            assertEquals(1, reader.packetNumber());
            assertEquals(0x71c, reader.fileOffset());
            assertEquals(0x30 - 8, reader.payloadLength());
            assertEquals(1_514_983_023_518_791_000L, reader.captureTimeNs());
            assertEquals(10377, reader.destinationPort());

            assertTrue(reader.next());
            assertEquals(2, reader.packetNumber());
            assertEquals(0x790, reader.fileOffset());
            assertEquals(0x05c5 - 8, reader.payloadLength());
            assertEquals(0xE9D71503, reader.destinationAddress());
            assertEquals(1, reader.buffer().getByte(reader.payloadOffset()), "IEX-TP version 1");

            assertFalse(reader.next());
            assertFalse(reader.next());
            assertEquals(2, reader.records());
            assertEquals(1, reader.truncated());
            assertEquals(0, reader.nonUdp());
            assertEquals(0, reader.malformed());
        }
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).endsWith("@3/" + 0xd98), errors.get(0));
    }

    @Test
    void vlanTaggedNanosecondPcapMatchesIndependentWalk() throws IOException
    {
        final Path file = TestSupport.itch("v5.0.20230822_OrderExecuted.pcap");
        final List<TestSupport.Record> records = TestSupport.records(Files.readAllBytes(file));
        try (CaptureReader reader = CaptureReader.open(file))
        {
            for (final TestSupport.Record r : records)
            {
                assertTrue(reader.next());
                final byte[] payload = new byte[reader.payloadLength()];
                reader.buffer().getBytes(reader.payloadOffset(), payload);
                assertArrayEquals(TestSupport.udpPayload(r.frame()), payload);
                assertEquals(r.seconds() * 1_000_000_000L + r.fraction(), reader.captureTimeNs());
                assertEquals(r.fileOffset(), reader.fileOffset());
            }
            assertFalse(reader.next());
            assertEquals(0, reader.truncated() + reader.malformed() + reader.nonUdp() + reader.corrupt());
        }
    }

    @Test
    void bigEndianMicrosecondPcapReadsTheSamePayloads() throws IOException
    {
        final Path original = TestSupport.itch("v5.0_Multiple.Packets.pcap");
        final byte[] bytes = Files.readAllBytes(original);
        final List<TestSupport.Record> records = TestSupport.records(bytes);
        final ByteBuffer out = ByteBuffer.allocate(bytes.length).order(ByteOrder.BIG_ENDIAN);
        out.putInt(0xA1B2C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(1);
        for (final TestSupport.Record r : records)
        {
            out.putInt((int)r.seconds()).putInt((int)(r.fraction() / 1000))
                .putInt(r.frame().length).putInt(r.frame().length).put(r.frame());
        }
        final Path file = Files.write(tmp.resolve("be-us.pcap"), Arrays.copyOf(out.array(), out.position()));
        try (CaptureReader reader = CaptureReader.open(file))
        {
            for (final TestSupport.Record r : records)
            {
                assertTrue(reader.next());
                final byte[] payload = new byte[reader.payloadLength()];
                reader.buffer().getBytes(reader.payloadOffset(), payload);
                assertArrayEquals(TestSupport.udpPayload(r.frame()), payload);
                assertEquals(r.seconds() * 1_000_000_000L + (r.fraction() / 1000) * 1000, reader.captureTimeNs());
            }
            assertFalse(reader.next());
        }
    }

    @Test
    void badIpAndUdpHeadersAreCountedNotThrown() throws IOException
    {
        final byte[] payload = {1, 2, 3, 4};
        final byte[] badUdpLength = TestSupport.PcapWriter.udpFrame(payload, 17);
        badUdpLength[14 + 20 + 4] = 0x7F;
        final byte[] badVersion = TestSupport.PcapWriter.udpFrame(payload, 17);
        badVersion[14] = 0x65;
        final byte[] fragment = TestSupport.PcapWriter.udpFrame(payload, 17);
        fragment[14 + 6] = 0x20;
        final byte[] arp = TestSupport.PcapWriter.udpFrame(payload, 17);
        arp[12] = 0x08;
        arp[13] = 0x06;
        final Path file = new TestSupport.PcapWriter().udp(payload).frame(badUdpLength).frame(badVersion)
            .frame(fragment).frame(arp).udp(payload).write(tmp.resolve("bad.pcap"));
        try (CaptureReader reader = CaptureReader.open(file))
        {
            assertTrue(reader.next());
            assertEquals(1, reader.packetNumber());
            assertTrue(reader.next());
            assertEquals(6, reader.packetNumber());
            assertFalse(reader.next());
            assertEquals(3, reader.malformed());
            assertEquals(1, reader.nonUdp());
        }
    }

    @Test
    void clearErrorsForMissingEmptyAndForeignFiles() throws IOException
    {
        assertTrue(assertThrows(IOException.class, () -> CaptureReader.open(tmp.resolve("missing.pcap")))
            .getMessage().contains("not found"));
        final Path empty = Files.write(tmp.resolve("empty.pcap"), new byte[0]);
        assertTrue(assertThrows(IOException.class, () -> CaptureReader.open(empty)).getMessage().contains("empty"));
        final Path gzipHeaderOnly = Files.write(tmp.resolve("x.gz"), new byte[]{0x1f, (byte)0x8b, 8});
        assertThrows(IOException.class, () -> CaptureReader.open(gzipHeaderOnly));
    }
}
