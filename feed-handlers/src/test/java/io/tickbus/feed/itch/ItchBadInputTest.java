package io.tickbus.feed.itch;

import io.tickbus.client.MarketDataListener;
import io.tickbus.feed.CaptureSource;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.PacketSource;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.TestSupport;
import io.tickbus.feed.Venues;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.GapNoticeDecoder;
import io.tickbus.sbe.GapReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad-input case on bytes cut or corrupted from the real ITCH captures: counted, skipped, never published
 * half-decoded, and the messages before and after still get through.
 */
@Timeout(60)
class ItchBadInputTest
{
    private static final LocalDate DATE = LocalDate.of(2023, 8, 22);

    @TempDir
    Path tmp;

    record Result(ParseSummary summary, TestSupport.RecordingSink sink, List<Long> executedOrderIds)
    {
    }

    /** Parse any file the way {@code tickbus parse --venue itch5} does. */
    static Result parse(final Path file) throws IOException
    {
        final ParseSummary summary = new ParseSummary();
        final TestSupport.RecordingSink sink = new TestSupport.RecordingSink();
        final DecoderContext ctx = new DecoderContext().sink(sink).stats(summary).tradingDate(DATE);
        try (PacketSource source = Venues.openFile(Venues.ITCH5, file, summary, DATE))
        {
            final PacketDecoder decoder = Venues.newDecoder(Venues.ITCH5, source.framing(), ctx);
            while (source.next())
            {
                decoder.onPacket(source.buffer(), source.offset(), source.length(), source.timeNs(),
                    source.packetNumber(), source.fileOffset());
            }
        }
        final List<Long> ids = new ArrayList<>();
        sink.replay(new MarketDataListener()
        {
            public void onExecuteOrder(final ExecuteOrderDecoder msg)
            {
                ids.add(msg.orderId());
            }
        });
        return new Result(summary, sink, ids);
    }

    /** The 5 real 'E' messages of the capture, as MoldUDP64 payloads, and their order ids decoded by hand. */
    private static List<byte[]> executedPayloads() throws IOException
    {
        return TestSupport.udpPayloads(TestSupport.itch("v5.0.20230822_OrderExecuted.pcap"));
    }

    private static long orderId(final byte[] payload)
    {
        return TestSupport.be(payload, 20 + 2 + 11, 8);
    }

    private Path pcapOf(final List<byte[]> payloads) throws IOException
    {
        final TestSupport.PcapWriter writer = new TestSupport.PcapWriter();
        payloads.forEach(writer::udp);
        return writer.write(Files.createTempFile(tmp, "itch", ".pcap"));
    }

    @Test
    void truncatedPacketIsCountedAndOthersDecoded() throws IOException
    {
        final List<byte[]> payloads = new ArrayList<>(executedPayloads());
        final byte[] third = payloads.get(2);
        payloads.set(2, Arrays.copyOf(third, third.length - 5));
        final Result r = parse(pcapOf(payloads));
        assertEquals(5, r.summary().packets());
        assertEquals(1, r.summary().malformed());
        assertEquals(4, r.summary().messages());
        assertEquals(List.of(orderId(payloads.get(0)), orderId(payloads.get(1)), orderId(payloads.get(3)),
            orderId(payloads.get(4))), r.executedOrderIds());
    }

    @Test
    void oversizedPacketIsCountedAfterItsMessagesAreDecoded() throws IOException
    {
        final List<byte[]> payloads = new ArrayList<>(executedPayloads());
        payloads.set(1, Arrays.copyOf(payloads.get(1), payloads.get(1).length + 7));
        final Result r = parse(pcapOf(payloads));
        assertEquals(1, r.summary().malformed());
        assertTrue(r.summary().malformedReasons().get(0).contains("7 bytes after"), r.summary().malformedReasons()
            .get(0));
        assertEquals(5, r.summary().messages(), "the message itself is complete");
        assertEquals(5, r.executedOrderIds().size());
    }

    @Test
    void lyingLengthIsCountedAndOthersDecoded() throws IOException
    {
        final List<byte[]> payloads = new ArrayList<>(executedPayloads());
        final byte[] longer = payloads.get(1).clone();
        longer[21] = (byte)200;
        payloads.set(1, longer);
        final byte[] shorter = payloads.get(3).clone();
        shorter[21] = (byte)30;
        payloads.set(3, shorter);
        final Result r = parse(pcapOf(payloads));
        assertEquals(2, r.summary().malformed(), r.summary().malformedReasons().toString());
        assertEquals(3, r.summary().messages());
        assertEquals(List.of(orderId(payloads.get(0)), orderId(payloads.get(2)), orderId(payloads.get(4))),
            r.executedOrderIds());
    }

    @Test
    void unknownTypeIsCountedAndNextMessageInSamePacketDecoded() throws IOException
    {
        final List<byte[]> real = executedPayloads();
        final List<byte[]> messages = new ArrayList<>();
        for (final byte[] p : real)
        {
            messages.addAll(TestSupport.moldMessages(p));
        }
        final byte[] unknown = messages.get(2).clone();
        unknown[0] = 'Z';
        messages.set(2, unknown);
        final Path file = pcapOf(List.of(TestSupport.moldPacket("SESSION001", 1, messages)));
        final Result r = parse(file);
        assertEquals(1, r.summary().packets());
        assertEquals(1, r.summary().malformed());
        assertEquals(4, r.summary().messages());
        assertEquals(4, r.executedOrderIds().size());
        assertEquals(orderId(real.get(3)), r.executedOrderIds().get(2), "message after the bad one");
    }

    @Test
    void nonUdpFrameInRealCaptureIsCountedAndOthersDecoded() throws IOException
    {
        final Path original = TestSupport.itch("v5.0.20230822_OrderExecuted.pcap");
        final byte[] bytes = Files.readAllBytes(original);
        final List<TestSupport.Record> records = TestSupport.records(bytes);
        final TestSupport.Record third = records.get(2);
        final int protocolOffset = (int)third.fileOffset() + 16 + TestSupport.ipOffset(third.frame()) + 9;
        assertEquals(17, bytes[protocolOffset], "UDP before the change");
        bytes[protocolOffset] = 6;
        final Path file = Files.write(tmp.resolve("tcp-in-the-middle.pcap"), bytes);
        final Result r = parse(file);
        assertEquals(4, r.summary().packets());
        assertEquals(1, r.summary().malformed());
        assertEquals(4, r.summary().messages());
        final List<byte[]> payloads = executedPayloads();
        assertEquals(List.of(orderId(payloads.get(0)), orderId(payloads.get(1)), orderId(payloads.get(3)),
            orderId(payloads.get(4))), r.executedOrderIds());
    }

    @Test
    void truncatedCaptureFileKeepsEverythingBeforeTheCut() throws IOException
    {
        final byte[] bytes = Files.readAllBytes(TestSupport.itch("v5.0_Multiple.Packets.pcap"));
        final List<TestSupport.Record> records = TestSupport.records(bytes);
        final int cut = (int)records.get(1).fileOffset() + 16 + 100;
        final Path file = Files.write(tmp.resolve("cut.pcap"), Arrays.copyOf(bytes, cut));
        final Result r = parse(file);
        assertEquals(1, r.summary().packets());
        assertEquals(1, r.summary().messages(), "the one message of packet 1");
        assertEquals(1, r.summary().malformed(), "the cut record");
        assertTrue(r.summary().malformedReasons().get(0).contains("packet 2"), r.summary().malformedReasons().get(0));
    }

    @Test
    void corruptGzipEndsReadingWithTheCount() throws IOException
    {
        final List<byte[]> real = executedPayloads();
        final TestSupport.PcapWriter writer = new TestSupport.PcapWriter();
        final int copies = 4000;
        for (int i = 0; i < copies; i++)
        {
            writer.udp(real.get(i % real.size()));
        }
        final ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz))
        {
            out.write(writer.bytes());
        }
        final byte[] compressed = gz.toByteArray();
        final Path whole = Files.write(tmp.resolve("whole.pcap.gz"), compressed);
        assertEquals(copies, parse(whole).summary().messages(), "gzip detected and read");

        final byte[] cut = Arrays.copyOf(compressed, compressed.length / 2);
        final Result truncated = parse(Files.write(tmp.resolve("cut.pcap.gz"), cut));
        assertTrue(truncated.summary().messages() > 0 && truncated.summary().messages() < copies);
        assertEquals(1, truncated.summary().malformed(), truncated.summary().malformedReasons().toString());

        final byte[] corrupt = compressed.clone();
        for (int i = corrupt.length / 2; i < corrupt.length / 2 + 64; i++)
        {
            corrupt[i] ^= (byte)0x5A;
        }
        final Result corrupted = parse(Files.write(tmp.resolve("corrupt.pcap.gz"), corrupt));
        assertTrue(corrupted.summary().messages() > 0 && corrupted.summary().messages() < copies,
            "messages before the corruption: " + corrupted.summary().messages());
        assertTrue(corrupted.summary().malformed() >= 1);
    }

    @Test
    void moldUdp64GapPublishesGapNotice() throws IOException
    {
        final List<byte[]> messages = new ArrayList<>();
        for (final byte[] p : executedPayloads())
        {
            messages.addAll(TestSupport.moldMessages(p));
        }
        final Path file = pcapOf(List.of(
            TestSupport.moldPacket("SESSION001", 1, messages.subList(0, 2)),
            TestSupport.moldPacket("SESSION001", 3, messages.subList(2, 3)),
            TestSupport.moldPacket("SESSION001", 7, messages.subList(3, 5)),
            TestSupport.moldPacket("SESSION001", 9, List.of()),
            TestSupport.moldPacket("SESSION001", 5, messages.subList(0, 1))));
        final Result r = parse(file);
        assertEquals(5, r.summary().packets());
        assertEquals(1, r.summary().heartbeats());
        assertEquals(1, r.summary().gaps());
        assertEquals(3, r.summary().missingSequences(), "4, 5 and 6 missing");
        assertEquals(5, r.summary().messages(), "late duplicate of sequence 5 is not decoded twice");
        final List<long[]> gaps = new ArrayList<>();
        r.sink().replay(new MarketDataListener()
        {
            public void onGapNotice(final GapNoticeDecoder msg)
            {
                assertEquals(GapReason.VENUE_GAP, msg.reason());
                gaps.add(new long[]{msg.fromSeq(), msg.toSeq(), msg.common().sourceSeq()});
            }
        });
        assertEquals(1, gaps.size());
        assertEquals(4, gaps.get(0)[0]);
        assertEquals(6, gaps.get(0)[1]);
        assertEquals(7L << 16, gaps.get(0)[2], "the notice takes n = 0 of the first sequence after the gap");
        assertEquals(5, r.executedOrderIds().size());
    }

    @Test
    void itchBinaryFileFramingPlainGzipAndCut() throws IOException
    {
        final List<byte[]> messages = new ArrayList<>();
        for (final Path capture : TestSupport.itchCaptures())
        {
            for (final byte[] p : TestSupport.udpPayloads(capture))
            {
                messages.addAll(TestSupport.moldMessages(p));
            }
        }
        final ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (final byte[] m : messages)
        {
            file.write(m.length >>> 8);
            file.write(m.length);
            file.write(m);
        }
        final byte[] bytes = file.toByteArray();
        final Result plain = parse(Files.write(tmp.resolve("20230822.itch"), bytes));
        assertEquals(messages.size(), plain.summary().packets(), "a file record is a packet");
        assertEquals(messages.size(), plain.summary().messages());
        assertEquals(0, plain.summary().malformed());
        assertEquals(messages.stream().filter((m) -> 'E' == m[0]).count(), plain.summary().count("E"));

        final ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz))
        {
            out.write(bytes);
        }
        final Result gzip = parse(Files.write(tmp.resolve("20230822.itch.gz"), gz.toByteArray()));
        assertEquals(plain.summary().toJson(), gzip.summary().toJson());

        final Result cut = parse(Files.write(tmp.resolve("cut.itch"), Arrays.copyOf(bytes, bytes.length - 3)));
        assertEquals(messages.size() - 1, cut.summary().messages());
        assertEquals(1, cut.summary().malformed());
    }

    @Test
    void missingAndNonCaptureFilesGiveClearErrors() throws IOException
    {
        final IOException missing = assertThrows(IOException.class,
            () -> Venues.openFile(Venues.ITCH5, tmp.resolve("nope.pcap"), null, DATE));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        final Path text = Files.writeString(tmp.resolve("text.pcap"), "hello, not a capture");
        final IOException notCapture = assertThrows(IOException.class,
            () -> new CaptureSource(text, null));
        assertTrue(notCapture.getMessage().contains("not a pcap or pcapng"), notCapture.getMessage());
    }
}
