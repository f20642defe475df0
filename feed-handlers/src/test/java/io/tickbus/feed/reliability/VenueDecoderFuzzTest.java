package io.tickbus.feed.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.MessageSink;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.PacketSource;
import io.tickbus.feed.TestSupport;
import io.tickbus.feed.Venues;
import io.tickbus.feed.itch.ItchFileReader;
import io.tickbus.feed.pcap.CaptureReader;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Coverage-guided fuzzing (Jazzer) of every venue decoder, of the ITCH file framing and of the capture reader.
 * <p>
 * Invariants checked on every input: no exception escapes (Jazzer reports it as a finding), and every message a
 * decoder publishes to its sink decodes whole with the bus client's {@link MessageDispatcher}, carries the feed id
 * the decoder was given, and has a length that covers exactly what its header says (no half-decoded message
 * reaches the bus).
 * <p>
 * In {@code mvn verify} (no {@code JAZZER_FUZZ}) each target runs its seeds only: payloads taken from the real
 * captures in {@code tickbus.shared.data}, written at test time into the test-classes directory
 * ({@code VenueDecoderFuzzTestInputs/<method>/}, never into the source tree), plus any crash reproducer committed
 * under {@code src/test/resources}. Without the captures the class is skipped, and fails where
 * {@code TICKBUS_REQUIRE_SHARED_DATA} is set (as {@code .ci/run} sets it), so CI never passes over two inputs.
 * {@code -Pfuzz -Dtest='VenueDecoderFuzzTest#itch5'} fuzzes one target.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VenueDecoderFuzzTest
{
    private static final int FEED_ID = 4242;
    private static final LocalDate TRADING_DATE = LocalDate.of(2023, 8, 22);
    private static final int SEEDS_PER_TARGET = 40;

    private static Path scratchFile;

    @BeforeAll
    static void writeSeeds() throws IOException
    {
        final Path classesDir = Path.of(classesDirectory());
        final Path inputs = classesDir.resolve("io/tickbus/feed/reliability/VenueDecoderFuzzTestInputs");
        scratchFile = Files.createTempFile(classesDir.getParent(), "fuzz-scratch", ".bin");
        scratchFile.toFile().deleteOnExit();

        // Without the captures the seeds would be a handful of reproducers: skip, or fail where the data must be.
        final Path data = TestSupport.sharedData();
        final Map<String, List<Path>> capturesByTarget = Map.of(
            "itch5", listCaptures(data.resolve("itch50")),
            "iexTops", List.of(data.resolve("iex/iex_tops16_20180103_excerpt.pcapng"),
                data.resolve("iex/20180127_IEXTP1_TOPS1.6.pcap.gz")),
            "iexDeep", List.of(data.resolve("iex/iex_deep10_20231002_excerpt.pcap.gz")),
            "cmeMdp3", listCaptures(data.resolve("cme-mdp3")));

        final Path dispatcherDir = Files.createDirectories(inputs.resolve("busDispatcher"));
        final int[] dispatcherSeeds = new int[1];
        final MessageSink seedSink = (buffer, offset, length) ->
        {
            final int templateId = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final Path seed = dispatcherDir.resolve("template-" + templateId + "-" + (dispatcherSeeds[0] % 4));
            if (dispatcherSeeds[0]++ < 400 && !Files.exists(seed))
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                writeQuietly(seed, bytes);
            }
            return 1;
        };
        for (final Map.Entry<String, List<Path>> e : capturesByTarget.entrySet())
        {
            final Path dir = Files.createDirectories(inputs.resolve(e.getKey()));
            final PacketDecoder seedDecoder = Venues.newDecoder(venueOf(e.getKey()), new DecoderContext()
                .sink(seedSink).tradingDate(TRADING_DATE));
            int seeds = 0;
            for (final Path capture : e.getValue())
            {
                TestSupport.assumeSharedData(Files.isRegularFile(capture), "fuzz seed capture absent: " + capture);
                try (CaptureReader reader = CaptureReader.open(capture))
                {
                    int perFile = 0;
                    while (seeds < SEEDS_PER_TARGET && perFile < 10 && reader.next())
                    {
                        final byte[] payload = new byte[reader.payloadLength()];
                        reader.buffer().getBytes(reader.payloadOffset(), payload);
                        Files.write(dir.resolve("seed-" + seeds), payload);
                        seedDecoder.onPacket(reader.buffer(), reader.payloadOffset(), reader.payloadLength(),
                            reader.captureTimeNs(), reader.packetNumber(), reader.fileOffset());
                        seeds++;
                        perFile++;
                    }
                }
            }
            TestSupport.assumeSharedData(seeds > 0, "no fuzz seeds from the captures for " + e.getKey());
        }

        // Whole small captures seed the capture reader; ITCH messages re-framed with 2-byte lengths seed the file
        // framing; the bare messages seed the per-message decoder.
        final Path captureDir = Files.createDirectories(inputs.resolve("captureReader"));
        final Path itchFileDir = Files.createDirectories(inputs.resolve("itchFile"));
        final Path itchMessageDir = Files.createDirectories(inputs.resolve("itchMessage"));
        int n = 0;
        for (final Path capture : listCaptures(data.resolve("cme-mdp3")))
        {
            Files.copy(capture, captureDir.resolve("seed-" + n++), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        int m = 0;
        for (final Path capture : listCaptures(data.resolve("itch50")))
        {
            if (Files.size(capture) < 4096)
            {
                Files.copy(capture, captureDir.resolve("seed-" + n++),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            try (CaptureReader reader = CaptureReader.open(capture))
            {
                final java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
                while (reader.next())
                {
                    forEachMoldMessage(reader.buffer(), reader.payloadOffset(), reader.payloadLength(), (msg) ->
                    {
                        file.write(msg.length >>> 8);
                        file.write(msg.length & 0xFF);
                        file.writeBytes(msg);
                    });
                }
                final byte[] bytes = file.toByteArray();
                Files.write(itchFileDir.resolve("seed-" + m), bytes);
                if (bytes.length > 2)
                {
                    Files.write(itchMessageDir.resolve("seed-" + m),
                        java.util.Arrays.copyOfRange(bytes, 2, 2 + (((bytes[0] & 0xFF) << 8) | (bytes[1] & 0xFF))));
                }
                m++;
            }
        }
        final Path pcapng = data.resolve("iex/iex_tops16_20180103_excerpt.pcapng");
        if (Files.isRegularFile(pcapng))
        {
            Files.copy(pcapng, captureDir.resolve("seed-" + n), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The bus client's {@link MessageDispatcher} on arbitrary bytes at an odd offset: it never throws, and whatever
     * it dispatches can be read whole (every field and group of the flyweight, via the generated
     * {@code appendTo}) without leaving the message.
     */
    @FuzzTest(maxDuration = "2m")
    void busDispatcher(final byte[] message)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[message.length + 3]);
        buffer.putBytes(3, message);
        final UnsafeBuffer exact = new UnsafeBuffer(buffer, 0, message.length + 3);
        final ReadEverything listener = new ReadEverything();
        final MessageDispatcher dispatcher = new MessageDispatcher(listener);
        final boolean dispatched = dispatcher.dispatch(exact, 3, message.length, 0);
        if (dispatched != (1 == listener.calls) || dispatched == (1 == dispatcher.malformedCount()))
        {
            throw new AssertionError("dispatched=" + dispatched + " calls=" + listener.calls +
                " malformed=" + dispatcher.malformedCount());
        }
    }

    @FuzzTest(maxDuration = "2m")
    void itch5(final byte[] packet)
    {
        decodeTwice(Venues.ITCH5, PacketSource.Framing.UDP_PAYLOAD, packet);
    }

    @FuzzTest(maxDuration = "2m")
    void iexTops(final byte[] packet)
    {
        decodeTwice(Venues.IEX_TOPS, PacketSource.Framing.UDP_PAYLOAD, packet);
    }

    @FuzzTest(maxDuration = "2m")
    void iexDeep(final byte[] packet)
    {
        decodeTwice(Venues.IEX_DEEP, PacketSource.Framing.UDP_PAYLOAD, packet);
    }

    @FuzzTest(maxDuration = "2m")
    void cmeMdp3(final byte[] packet)
    {
        decodeTwice(Venues.CME_MDP3, PacketSource.Framing.UDP_PAYLOAD, packet);
    }

    @FuzzTest(maxDuration = "2m")
    void itchMessage(final byte[] message)
    {
        decodeTwice(Venues.ITCH5, PacketSource.Framing.ITCH_MESSAGE, message);
    }

    /**
     * NASDAQ's binary file framing read by {@link ItchFileReader} from a file holding the input, every record
     * decoded: the reader never hands out a record outside its buffer, and the decoder's invariants hold.
     */
    @FuzzTest(maxDuration = "2m")
    void itchFile(final byte[] file) throws IOException
    {
        Files.write(scratchFile, file);
        final CheckingSink sink = new CheckingSink();
        final PacketDecoder decoder = Venues.newDecoder(
            Venues.ITCH5, PacketSource.Framing.ITCH_MESSAGE, context(sink));
        try (ItchFileReader reader = new ItchFileReader(scratchFile, FeedStats.NONE, TRADING_DATE))
        {
            int records = 0;
            while (reader.next())
            {
                checkSlice(reader.buffer(), reader.offset(), reader.length());
                decoder.onPacket(reader.buffer(), reader.offset(), reader.length(), reader.timeNs(),
                    reader.packetNumber(), reader.fileOffset());
                if (++records > file.length)
                {
                    throw new AssertionError("more records than bytes: the reader does not advance");
                }
            }
        }
        decoder.onEndOfInput();
    }

    /**
     * The pcap / pcapng reader on a file holding the input: opening either succeeds or fails with an
     * {@link IOException} saying why; every payload it hands out lies inside its buffer; it always terminates.
     */
    @FuzzTest(maxDuration = "2m")
    void captureReader(final byte[] file) throws IOException
    {
        Files.write(scratchFile, file);
        final CaptureReader reader;
        try
        {
            reader = CaptureReader.open(scratchFile);
        }
        catch (final IOException ex)
        {
            if (null == ex.getMessage() || ex.getMessage().isEmpty())
            {
                throw new AssertionError("an IOException without a reason", ex);
            }
            return;
        }
        try (reader)
        {
            int payloads = 0;
            while (reader.next())
            {
                checkSlice(reader.buffer(), reader.payloadOffset(), reader.payloadLength());
                if (++payloads > file.length)
                {
                    throw new AssertionError("more payloads than bytes: the reader does not advance");
                }
            }
        }
    }

    private static void decodeTwice(final String venue, final PacketSource.Framing framing, final byte[] packet)
    {
        final CheckingSink sink = new CheckingSink();
        final PacketDecoder decoder = Venues.newDecoder(venue, framing, context(sink));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[packet.length + 16]);
        buffer.putBytes(8, packet);
        decoder.onPacket(buffer, 8, packet.length, 1_692_700_000_000_000_000L, 1, 0);
        // The same packet again exercises duplicate / sequence-tracking state.
        decoder.onPacket(buffer, 8, packet.length, 1_692_700_000_000_000_001L, 2, packet.length);
        decoder.onEndOfInput();
    }

    private static DecoderContext context(final MessageSink sink)
    {
        return new DecoderContext()
            .sink(sink)
            .feedId(FEED_ID)
            .tradingDate(TRADING_DATE)
            .errorHandler((ex) ->
            {
                throw new AssertionError("decoder reported an error not about its input", ex);
            });
    }

    private static String venueOf(final String target)
    {
        return switch (target)
        {
            case "iexTops" -> Venues.IEX_TOPS;
            case "iexDeep" -> Venues.IEX_DEEP;
            case "cmeMdp3" -> Venues.CME_MDP3;
            default -> Venues.ITCH5;
        };
    }

    private static void writeQuietly(final Path file, final byte[] bytes)
    {
        try
        {
            Files.write(file, bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void checkSlice(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new AssertionError("slice outside buffer: offset=" + offset + " length=" + length +
                " capacity=" + buffer.capacity());
        }
    }

    private static String classesDirectory()
    {
        try
        {
            return Path.of(VenueDecoderFuzzTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        }
        catch (final java.net.URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static List<Path> listCaptures(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return List.of();
        }
        try (var files = Files.list(dir))
        {
            return files.filter((p) -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void forEachMoldMessage(
        final DirectBuffer payload, final int offset, final int length, final java.util.function.Consumer<byte[]> sink)
    {
        // MoldUDP64: session(10) sequence(8) count(2), then count x (length(2) message).
        if (length < 20)
        {
            return;
        }
        final int count = payload.getShort(offset + 18, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        int pos = offset + 20;
        for (int i = 0; i < count && 0xFFFF != count && pos + 2 <= offset + length; i++)
        {
            final int len = payload.getShort(pos, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (pos + 2 + len > offset + length)
            {
                return;
            }
            final byte[] msg = new byte[len];
            payload.getBytes(pos + 2, msg);
            sink.accept(msg);
            pos += 2 + len;
        }
    }

    /** Reads every field of every message it is given, through the generated decoders' {@code appendTo}. */
    static final class ReadEverything implements MarketDataListener
    {
        private final StringBuilder sb = new StringBuilder();
        int calls;

        int unknownEnumValues;

        private static int actingVersionOf(final Object decoder)
        {
            try
            {
                return (int)decoder.getClass().getMethod("actingVersion").invoke(decoder);
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new AssertionError(ex);
            }
        }

        private void read(final Object decoder)
        {
            calls++;
            sb.setLength(0);
            try
            {
                sb.append(decoder);
            }
            catch (final IllegalArgumentException ex)
            {
                // The dispatcher rejects enum values this schema version does not define (finding F1, fixed); a
                // message of a newer version is passed on by design, and only its getters may meet such a value.
                final int actingVersion = actingVersionOf(decoder);
                if (null == ex.getMessage() || !ex.getMessage().startsWith("Unknown value: ") ||
                    actingVersion <= io.tickbus.sbe.MessageHeaderDecoder.SCHEMA_VERSION)
                {
                    throw ex;
                }
                unknownEnumValues++;
            }
        }

        public void onInstrumentDefinition(final io.tickbus.sbe.InstrumentDefinitionDecoder msg)
        {
            read(msg);
        }

        public void onAddOrder(final io.tickbus.sbe.AddOrderDecoder msg)
        {
            read(msg);
        }

        public void onModifyOrder(final io.tickbus.sbe.ModifyOrderDecoder msg)
        {
            read(msg);
        }

        public void onCancelOrder(final io.tickbus.sbe.CancelOrderDecoder msg)
        {
            read(msg);
        }

        public void onExecuteOrder(final io.tickbus.sbe.ExecuteOrderDecoder msg)
        {
            read(msg);
        }

        public void onPriceLevelUpdate(final io.tickbus.sbe.PriceLevelUpdateDecoder msg)
        {
            read(msg);
        }

        public void onTrade(final io.tickbus.sbe.TradeDecoder msg)
        {
            read(msg);
        }

        public void onTopOfBook(final io.tickbus.sbe.TopOfBookDecoder msg)
        {
            read(msg);
        }

        public void onBookSnapshot(final io.tickbus.sbe.BookSnapshotDecoder msg)
        {
            read(msg);
        }

        public void onTradingStatus(final io.tickbus.sbe.TradingStatusDecoder msg)
        {
            read(msg);
        }

        public void onHeartbeat(final io.tickbus.sbe.HeartbeatDecoder msg)
        {
            read(msg);
        }

        public void onGapNotice(final io.tickbus.sbe.GapNoticeDecoder msg)
        {
            read(msg);
        }

        public void onEndOfSession(final io.tickbus.sbe.EndOfSessionDecoder msg)
        {
            read(msg);
        }

        public void onMarketStatistic(final io.tickbus.sbe.MarketStatisticDecoder msg)
        {
            read(msg);
        }
    }

    /**
     * Decodes every published message at once with the bus client's dispatcher and checks it is whole: a known
     * template, the right feed id, and a length that is exactly header + block (+ groups for snapshots).
     */
    static final class CheckingSink implements MessageSink, MarketDataListener
    {
        private final MessageDispatcher dispatcher = new MessageDispatcher(this);
        private long published;

        public long publish(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            if (offset < 0 || length <= 0 || (long)offset + length > buffer.capacity())
            {
                throw new AssertionError("published slice outside its buffer: " + offset + "/" + length);
            }
            if (!dispatcher.dispatch(buffer, offset, length, 0))
            {
                throw new AssertionError("published message does not decode: " + hex(buffer, offset, length));
            }
            final int feedId = io.tickbus.client.CommonBlock.feedId(buffer, offset);
            if (FEED_ID != feedId)
            {
                throw new AssertionError("published message with feed id " + feedId + ", expected " + FEED_ID);
            }
            final int expected = expectedLength(buffer, offset);
            if (expected != length)
            {
                throw new AssertionError("published length " + length + " but the header and groups say " +
                    expected + ": " + hex(buffer, offset, length));
            }
            published++;
            return published;
        }

        /** Length from the SBE header by hand: 8 + blockLength, plus the levels group for BookSnapshot (id 9). */
        private static int expectedLength(final DirectBuffer buffer, final int offset)
        {
            final int blockLength = buffer.getShort(offset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int templateId = buffer.getShort(offset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            int length = 8 + blockLength;
            if (9 == templateId)
            {
                final int groupBlockLength = buffer.getShort(offset + length, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                final int count = buffer.getShort(offset + length + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                length += 4 + groupBlockLength * count;
            }
            return length;
        }

        private static String hex(final DirectBuffer buffer, final int offset, final int length)
        {
            final StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(length, 64); i++)
            {
                sb.append(String.format("%02x", buffer.getByte(offset + i)));
            }
            return sb.toString();
        }
    }
}
