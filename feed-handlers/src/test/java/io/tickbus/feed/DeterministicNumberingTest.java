package io.tickbus.feed;

import io.tickbus.client.CommonBlock;
import io.tickbus.feed.pcap.CaptureReader;
import io.tickbus.feed.sim.ItchSimulator;
import io.tickbus.feed.sim.PacketOutput;
import io.tickbus.sbe.EndOfSessionEncoder;
import io.tickbus.sbe.MessageHeaderDecoder;
import io.tickbus.client.MessageSink;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 15, numbering from the venue message alone: the same venue message gets the same source sequence and the
 * same bytes from every handler of a feed, whatever that handler saw before. Over the real captures (and a
 * simulated ITCH day): a handler started mid-stream, a restarted one reading an overlap, and two hot-hot handlers
 * merged by the sequencer's rule (a feed's source sequence must exceed the last one taken) publish each venue
 * message exactly once, byte for byte what a handler that read from the start published; and no handler-made
 * message (definition, gap notice, heartbeat) takes a venue message's number.
 */
@Timeout(120)
class DeterministicNumberingTest
{
    private static final LocalDate DATE = LocalDate.of(2000, 1, 1);

    /** One venue's packets, as a feed would receive them. */
    record Feed(String name, String venue, List<byte[]> packets, long[] times)
    {
        public String toString()
        {
            return name;
        }
    }

    /** One published message: its number and its bytes, with the fields a handler stamps from its own state masked. */
    record Published(long sourceSeq, int templateId, byte[] bytes)
    {
    }

    static Stream<Feed> feeds() throws IOException
    {
        final List<Feed> feeds = new ArrayList<>();
        feeds.add(simulatedItchDay());
        final String dir = System.getProperty("tickbus.shared.data");
        if (null == dir || !Files.isDirectory(Path.of(dir)))
        {
            if (null != System.getenv("TICKBUS_REQUIRE_SHARED_DATA"))
            {
                fail("shared data not available (TICKBUS_REQUIRE_SHARED_DATA is set): " + dir);
            }
        }
        else
        {
            final Path data = Path.of(dir);
            feeds.add(capture(Venues.IEX_TOPS, TestSupport.capture("iex", "20180127_IEXTP1_TOPS1.6.pcap.gz")));
            feeds.add(capture(Venues.IEX_DEEP, TestSupport.capture("iex", "iex_deep10_20231002_excerpt.pcap.gz")));
            feeds.add(capture(Venues.ITCH5, TestSupport.itch("v5.0_Multiple.Packets.pcap")));
            try (Stream<Path> cme = Files.list(data.resolve("cme-mdp3")))
            {
                for (final Path file : cme.filter(p -> p.toString().endsWith(".pcap")).sorted().toList())
                {
                    feeds.add(capture(Venues.CME_MDP3, file));
                }
            }
        }
        return feeds.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("feeds")
    void aHandlerStartedMidStreamNumbersEveryVenueMessageAsOneThatReadFromTheStart(final Feed feed)
    {
        final List<Published> full = run(feed, 0, feed.packets.size());
        final Map<Long, Published> venueOutputs = venueOutputs(full);
        assertFalse(venueOutputs.isEmpty(), "the feed publishes venue messages");

        for (final int start : new int[]{ feed.packets.size() / 3, feed.packets.size() / 2 + 1 })
        {
            final List<Published> late = run(feed, start, feed.packets.size());
            int matched = 0;
            for (final Published message : late)
            {
                if (DerivedSequence.isVenueOutput(message.sourceSeq))
                {
                    final Published same = venueOutputs.get(message.sourceSeq);
                    assertNotNull(same, () -> "no message numbered " + describe(message) + " from the start");
                    assertSame(same, message);
                    matched++;
                }
                else
                {
                    assertFalse(venueOutputs.containsKey(message.sourceSeq),
                        () -> "handler-made " + describe(message) + " took a venue message's number");
                }
            }
            final long firstSeq = firstVenueOutputSeq(late);
            final long expected = full.stream()
                .filter(m -> DerivedSequence.isVenueOutput(m.sourceSeq) && m.sourceSeq >= firstSeq).count();
            assertEquals(expected, matched, "a late handler publishes every venue message from where it began");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("feeds")
    void aRestartWithAnOverlapAndHotHotHandlersGiveEachVenueMessageOnce(final Feed feed)
    {
        final int n = feed.packets.size();
        final Map<Long, Published> expected = venueOutputs(run(feed, 0, n));

        // A handler that stopped two thirds in, and its restart from half way (an overlap of a sixth).
        final Sequencer restarted = new Sequencer();
        restarted.take(run(feed, 0, 2 * n / 3));
        restarted.take(run(feed, n / 2, n));
        assertOnce(expected, restarted, "restart with an overlap");

        // Two hot-hot handlers, the second joining when the first has published a quarter of the feed; from then on
        // each packet's outputs from either handler reach the sequencer in a random order, either handler up to 3
        // packets ahead. (A handler that joins ahead of the sequencer's last message has a gap to recover or
        // announce: that is restart continuity, tested with real processes.)
        final Sequencer hotHot = new Sequencer();
        final List<List<Published>> a = runPerPacket(feed, 0);
        final List<List<Published>> b = runPerPacket(feed, n / 4);
        final Random random = new Random(feed.name.hashCode());
        int i = 0;
        int j = n / 4;
        while (i < n || j < n)
        {
            final boolean aMayGo = i < n && (i < n / 4 || i - j < 3);
            final boolean bMayGo = j < n && i >= n / 4 && j - i < 3;
            if (!bMayGo || (aMayGo && random.nextBoolean()))
            {
                hotHot.take(a.get(i++));
            }
            else
            {
                hotHot.take(b.get(j++ - n / 4));
            }
        }
        assertOnce(expected, hotHot, "hot-hot");
    }

    /**
     * Epochs: the venue starts a new MoldUDP64 session mid-stream, numbering from 1 again. The handler stamps the
     * new session's messages with the next epoch, so a sequencer keyed on (epoch, source sequence) takes every
     * message of both sessions once, where one keyed on the source sequence alone would drop the new session.
     */
    @Test
    void aVenueSessionChangeStartsANewEpochAndNothingOfTheNewSessionIsDropped()
    {
        final Feed day = simulatedItchDay();
        final int half = day.packets.size() / 2;
        final List<byte[]> packets = new ArrayList<>(day.packets.subList(0, half));
        for (final byte[] packet : day.packets.subList(0, half))
        {
            final byte[] renamed = packet.clone();
            System.arraycopy("NEWSESSION".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, renamed, 0, 10);
            packets.add(renamed);
        }
        final Feed reset = new Feed("reset", Venues.ITCH5, packets, Arrays.copyOf(day.times, packets.size()));
        final List<Published> out = run(reset, 0, packets.size());
        final List<Published> firstSession = run(reset, 0, half);

        int epochOne = 0;
        long venueOutputs = 0;
        for (final Published message : out)
        {
            final int epoch = CommonBlock.epoch(new UnsafeBuffer(message.bytes), 0);
            if (1 == epoch)
            {
                epochOne++;
            }
            if (DerivedSequence.isVenueOutput(message.sourceSeq))
            {
                venueOutputs++;
            }
        }
        final long perSession = venueOutputs(firstSession).size();
        assertEquals(2 * perSession, venueOutputs, "both sessions publish every venue message");
        assertTrue(epochOne >= perSession, "the new session's messages carry epoch 1: " + epochOne);

        long takenByEpoch = 0;
        long takenBySourceSeqAlone = 0;
        int epoch = 0;
        long last = 0;
        long lastAlone = 0;
        for (final Published message : out)
        {
            final int e = CommonBlock.epoch(new UnsafeBuffer(message.bytes), 0);
            if (CommonBlock.isNewerEpoch(e, epoch))
            {
                epoch = e;
                last = 0;
            }
            if (e == epoch && message.sourceSeq > last)
            {
                last = message.sourceSeq;
                takenByEpoch += DerivedSequence.isVenueOutput(message.sourceSeq) ? 1 : 0;
            }
            if (message.sourceSeq > lastAlone)
            {
                lastAlone = message.sourceSeq;
                takenBySourceSeqAlone += DerivedSequence.isVenueOutput(message.sourceSeq) ? 1 : 0;
            }
        }
        assertEquals(2 * perSession, takenByEpoch, "every message of both sessions sequenced once");
        assertTrue(takenBySourceSeqAlone <= perSession, "without the epoch the new session would be lost");
    }

    @Test
    void numbersStrictlyIncreaseAndHandlerMadeMessagesComeBeforeTheirVenueElement()
    {
        final DerivedSequence sequence = new DerivedSequence();
        sequence.begin(42);
        final long gap = sequence.gapNotice();
        final long definition = sequence.definition();
        final long first = sequence.next();
        final long second = sequence.next();
        sequence.element(100);
        final long entryDefinition = sequence.definition();
        final long entry = sequence.next();
        assertTrue(gap < definition && definition < first && first < second && second < entryDefinition &&
            entryDefinition < entry);
        assertEquals(42, DerivedSequence.venueSeq(entry));
        assertFalse(DerivedSequence.isVenueOutput(gap));
        assertFalse(DerivedSequence.isVenueOutput(entryDefinition));
        assertTrue(DerivedSequence.isVenueOutput(first) && DerivedSequence.isVenueOutput(entry));

        final long heartbeat = DerivedSequence.heartbeat(43);
        assertTrue(heartbeat > entry, "after everything of 42");
        sequence.begin(43);
        assertTrue(heartbeat < sequence.gapNotice(), "before anything of 43");
        assertFalse(DerivedSequence.isVenueOutput(heartbeat));

        sequence.element(7);
        for (int k = 0; k < 5; k++)
        {
            sequence.next();
        }
        assertEquals(0, sequence.overflows());
        sequence.next();
        assertEquals(1, sequence.overflows(), "a sixth message of one element is counted, not numbered apart");
    }

    private static void assertOnce(final Map<Long, Published> expected, final Sequencer sequencer, final String what)
    {
        final Map<Long, Published> taken = new LinkedHashMap<>();
        for (final Published message : sequencer.taken)
        {
            if (DerivedSequence.isVenueOutput(message.sourceSeq))
            {
                final Published before = taken.put(message.sourceSeq, message);
                if (null != before)
                {
                    fail(what + ": " + describe(message) + " sequenced twice");
                }
                final Published same = expected.get(message.sourceSeq);
                assertNotNull(same, () -> what + ": " + describe(message) + " is not a venue message of the feed");
                assertSame(same, message);
            }
        }
        for (final Published message : expected.values())
        {
            if (!taken.containsKey(message.sourceSeq))
            {
                fail(what + ": first violation: " + describe(message) + " was never sequenced (" + taken.size() +
                    " of " + expected.size() + " were)");
            }
        }
    }

    private static void assertSame(final Published expected, final Published actual)
    {
        if (!Arrays.equals(expected.bytes, actual.bytes))
        {
            fail(describe(actual) + " differs from the message a handler that read from the start published:\n" +
                Arrays.toString(expected.bytes) + "\n" + Arrays.toString(actual.bytes));
        }
    }

    private static String describe(final Published message)
    {
        return "template " + message.templateId + " source sequence " + message.sourceSeq + " (venue " +
            DerivedSequence.venueSeq(message.sourceSeq) + ", slot " + (message.sourceSeq & 0xFFFF) + ")";
    }

    private static long firstVenueOutputSeq(final List<Published> messages)
    {
        return messages.stream().filter(m -> DerivedSequence.isVenueOutput(m.sourceSeq))
            .mapToLong(Published::sourceSeq).findFirst().orElse(Long.MAX_VALUE);
    }

    private static Map<Long, Published> venueOutputs(final List<Published> messages)
    {
        final Map<Long, Published> outputs = new LinkedHashMap<>();
        long last = 0;
        for (final Published message : messages)
        {
            assertTrue(message.sourceSeq > last || (message.sourceSeq == last && 11 == message.templateId),
                () -> "numbers strictly increase (heartbeats of one quiet stretch share theirs): " + describe(message));
            last = message.sourceSeq;
            if (DerivedSequence.isVenueOutput(message.sourceSeq))
            {
                outputs.put(message.sourceSeq, message);
            }
        }
        return outputs;
    }

    private static List<Published> run(final Feed feed, final int from, final int to)
    {
        final List<Published> out = new ArrayList<>();
        final PacketDecoder decoder = decoder(feed, out);
        for (int i = from; i < to; i++)
        {
            final byte[] packet = feed.packets.get(i);
            decoder.onPacket(new UnsafeBuffer(packet), 0, packet.length, feed.times[i], i + 1, 0);
        }
        decoder.onEndOfInput();
        return out;
    }

    private static List<List<Published>> runPerPacket(final Feed feed, final int from)
    {
        final List<List<Published>> perPacket = new ArrayList<>();
        final List<Published> out = new ArrayList<>();
        final PacketDecoder decoder = decoder(feed, out);
        for (int i = from; i < feed.packets.size(); i++)
        {
            final byte[] packet = feed.packets.get(i);
            decoder.onPacket(new UnsafeBuffer(packet), 0, packet.length, feed.times[i], i + 1, 0);
            if (i == feed.packets.size() - 1)
            {
                decoder.onEndOfInput();
            }
            perPacket.add(new ArrayList<>(out));
            out.clear();
        }
        return perPacket;
    }

    private static PacketDecoder decoder(final Feed feed, final List<Published> out)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final MessageSink sink = (buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            final UnsafeBuffer copy = new UnsafeBuffer(bytes);
            copy.putLong(CommonBlock.PUBLISH_TIME_OFFSET, 0);
            header.wrap(copy, 0);
            if (EndOfSessionEncoder.TEMPLATE_ID == header.templateId())
            {
                // What the handler published in the session: a count of its own, not of the venue's.
                copy.putLong(CommonBlock.OFFSET + EndOfSessionEncoder.messageCountEncodingOffset(), 0);
            }
            out.add(new Published(CommonBlock.sourceSeq(copy, 0), header.templateId(), bytes));
            return 1;
        };
        return Venues.newDecoder(feed.venue, new DecoderContext().sink(sink).stats(new ParseSummary(0)).feedId(5)
            .tradingDate(DATE));
    }

    private static Feed capture(final String venue, final Path file) throws IOException
    {
        final List<byte[]> packets = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(file))
        {
            while (reader.next())
            {
                final byte[] bytes = new byte[reader.payloadLength()];
                reader.buffer().getBytes(reader.payloadOffset(), bytes);
                packets.add(bytes);
                times.add(reader.captureTimeNs());
            }
        }
        return new Feed(file.getFileName().toString(), venue, packets,
            times.stream().mapToLong(Long::longValue).toArray());
    }

    private static Feed simulatedItchDay()
    {
        final List<byte[]> packets = new ArrayList<>();
        final PacketOutput collect = new PacketOutput()
        {
            public void send(final DirectBuffer buffer, final int offset, final int length)
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                packets.add(bytes);
            }

            public long packets()
            {
                return packets.size();
            }

            public void close()
            {
            }
        };
        try (ItchSimulator simulator = new ItchSimulator(new ItchSimulator.Context().symbols(50).rate(0)
            .count(20_000).seed(15).profile(ItchSimulator.Profile.DAY).output(collect)))
        {
            for (int cycle = 0; cycle < 1_000_000 && !simulator.isDone(); cycle++)
            {
                simulator.doWork();
            }
            assertTrue(simulator.isDone(), "the simulated day is generated");
        }
        final long[] times = new long[packets.size()];
        for (int i = 0; i < times.length; i++)
        {
            times[i] = 1_700_000_000_000_000_000L + i * 1_000L;
        }
        return new Feed("simulated ITCH day", Venues.ITCH5, packets, times);
    }

    /** The sequencer's de-duplication rule for one feed: a message is taken when its number exceeds the last taken. */
    private static final class Sequencer
    {
        private final List<Published> taken = new ArrayList<>();
        private long last;

        void take(final List<Published> messages)
        {
            for (final Published message : messages)
            {
                if (message.sourceSeq > last)
                {
                    last = message.sourceSeq;
                    taken.add(message);
                }
            }
        }
    }
}
