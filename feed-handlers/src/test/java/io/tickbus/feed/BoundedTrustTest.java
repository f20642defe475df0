package io.tickbus.feed;

import io.tickbus.feed.iex.IexTp;
import io.tickbus.feed.itch.MoldUdp64Decoder;
import io.tickbus.feed.pcap.CaptureReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bounded trust on streams built from the real captures: one copy of a real packet with a corrupt sequence number
 * (2^62, or a jump far beyond the bound) injected in the middle is counted malformed with its packet number and
 * offset, publishes nothing, and every message after it is published byte for byte as without it (the corrupt
 * number moved no expectation, so no real packet became a "duplicate" and no gap was announced).
 */
@Timeout(60)
class BoundedTrustTest
{
    private static final LocalDate DATE = LocalDate.of(2023, 8, 22);

    record Run(ParseSummary summary, List<byte[]> messages)
    {
    }

    /** Decode like {@code tickbus parse}; each packet is received at a time of its own, the same in both runs. */
    private static Run decode(final String venue, final List<byte[]> packets)
    {
        final ParseSummary summary = new ParseSummary();
        final TestSupport.RecordingSink sink = new TestSupport.RecordingSink();
        final PacketDecoder decoder = Venues.newDecoder(venue,
            new DecoderContext().sink(sink).stats(summary).tradingDate(DATE));
        for (int i = 0; i < packets.size(); i++)
        {
            final byte[] p = packets.get(i);
            final long receiveTimeNs = 1_000_000_000L + java.util.Arrays.hashCode(p); // the packet's own, both runs
            decoder.onPacket(new org.agrona.concurrent.UnsafeBuffer(p), 0, p.length, receiveTimeNs, i + 1, 1000L * i);
        }
        return new Run(summary, sink.messages);
    }

    /** Decode clean and with the corrupt copy injected after packet {@code at}; assert nothing else changed. */
    private static void assertCorruptPacketChangesNothing(
        final String venue, final List<byte[]> clean, final int at, final byte[] corrupt, final String reasonPart)
    {
        final Run expected = decode(venue, clean);
        final List<byte[]> injected = new ArrayList<>(clean);
        injected.add(at, corrupt);
        final Run actual = decode(venue, injected);

        assertEquals(expected.summary().malformed() + 1, actual.summary().malformed(), venue);
        final String reason = actual.summary().malformedReasons().get(actual.summary().malformedReasons().size() - 1);
        assertTrue(reason.contains(reasonPart) && reason.contains("packet " + (at + 1)) &&
            reason.contains("offset " + 1000L * at), reason);
        assertEquals(expected.summary().gaps(), actual.summary().gaps(), "no gap announced: " + venue);
        assertEquals(expected.summary().messages(), actual.summary().messages(), venue);
        assertTrue(expected.messages().size() > at, "messages after the corrupt packet: " + venue);
        assertEquals(expected.messages().size(), actual.messages().size(), venue);
        for (int i = 0; i < expected.messages().size(); i++)
        {
            assertArrayEquals(expected.messages().get(i), actual.messages().get(i), venue + " message " + i);
        }
    }

    private static byte[] withLong(final byte[] packet, final int offset, final long value, final ByteOrder order)
    {
        final byte[] copy = packet.clone();
        ByteBuffer.wrap(copy).order(order).putLong(offset, value);
        return copy;
    }

    private static List<byte[]> payloads(final Path file, final int max) throws IOException
    {
        final List<byte[]> payloads = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(file))
        {
            while (payloads.size() < max && reader.next())
            {
                final byte[] bytes = new byte[reader.payloadLength()];
                reader.buffer().getBytes(reader.payloadOffset(), bytes);
                payloads.add(bytes);
            }
        }
        return payloads;
    }

    @Test
    void itchSequenceTwoToThe62AmongRealPackets() throws IOException
    {
        // The real ITCH messages of the sample captures, one per MoldUDP64 packet, sequenced 1..N.
        final List<byte[]> messages = new ArrayList<>();
        for (final Path capture : TestSupport.itchCaptures())
        {
            for (final byte[] payload : TestSupport.udpPayloads(capture))
            {
                messages.addAll(TestSupport.moldMessages(payload));
            }
        }
        assertTrue(messages.size() >= 40, "messages in the captures: " + messages.size());
        final List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++)
        {
            packets.add(TestSupport.moldPacket("SESSION001", i + 1, List.of(messages.get(i))));
        }
        final int at = packets.size() / 2;
        assertCorruptPacketChangesNothing(Venues.ITCH5, packets, at, withLong(packets.get(at), MoldUdp64Decoder
            .SEQUENCE_OFFSET, 1L << 62, ByteOrder.BIG_ENDIAN), "does not fit the source sequence space");
        // Inside the derived space but far beyond the bound: ignored as corrupt.
        assertCorruptPacketChangesNothing(Venues.ITCH5, packets, at, withLong(packets.get(at), MoldUdp64Decoder
            .SEQUENCE_OFFSET, 1L << 40, ByteOrder.BIG_ENDIAN), "packet ignored as corrupt");
    }

    @Test
    void iexTopsFirstSequenceTwoToThe62AmongRealSegments() throws IOException
    {
        final List<byte[]> packets = payloads(
            TestSupport.sharedData().resolve("iex").resolve("20180127_IEXTP1_TOPS1.6.pcap.gz"), 3000);
        final int at = 1500;
        assertCorruptPacketChangesNothing(Venues.IEX_TOPS, packets, at, withLong(packets.get(at),
            IexTp.FIRST_SEQ_OFFSET, 1L << 62, ByteOrder.LITTLE_ENDIAN), "does not fit the source sequence space");
        final long real = ByteBuffer.wrap(packets.get(at)).order(ByteOrder.LITTLE_ENDIAN).getLong(IexTp.FIRST_SEQ_OFFSET);
        assertCorruptPacketChangesNothing(Venues.IEX_TOPS, packets, at, withLong(packets.get(at),
            IexTp.FIRST_SEQ_OFFSET, real + (1L << 40), ByteOrder.LITTLE_ENDIAN), "packet ignored as corrupt");
    }

    @Test
    void mdp3PacketSequenceFarBeyondTheBoundAmongRealPackets() throws IOException
    {
        // Real MDP3 packets, renumbered 1..N as one channel's stream; MDP3's number is uint32, so the corrupt one is
        // 0xFFFFFFF0, four billion past the expectation.
        final List<byte[]> packets = new ArrayList<>();
        final String[] files = {"Mdp3.Sbe.v1.9_MdIncrementalRefreshBook.pcap",
            "Mdp3.Sbe.v1.9_MdIncrementalRefreshOrderBook.pcap", "Mdp3.Sbe.v1.9_MdIncrementalRefreshTradeSummary.pcap",
            "Mdp3.Sbe.v1.9_MdIncrementalRefreshVolume.pcap"};
        for (int copy = 0; copy < 3; copy++)
        {
            for (final String name : files)
            {
                final byte[] p = payloads(TestSupport.sharedData().resolve("cme-mdp3").resolve(name), 1).get(0).clone();
                ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putInt(0, packets.size() + 1);
                packets.add(p);
            }
        }
        final int at = packets.size() / 2;
        final byte[] corrupt = packets.get(at).clone();
        ByteBuffer.wrap(corrupt).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0xFFFF_FFF0);
        assertCorruptPacketChangesNothing(Venues.CME_MDP3, packets, at, corrupt, "packet ignored as corrupt");
    }
}
