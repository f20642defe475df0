package io.tickbus.perf;

import io.tickbus.client.MessageSink;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.GapRecovery;
import io.tickbus.feed.LineArbiter;
import io.tickbus.feed.LineStats;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.VenueFraming;
import io.tickbus.feed.Venues;
import io.tickbus.feed.iex.IexTp;
import io.tickbus.feed.itch.MoldUdp64Decoder;
import io.tickbus.feed.pcap.CaptureReader;
import io.tickbus.feed.sim.ItchSimulator;
import io.tickbus.feed.sim.PacketOutput;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Parse + normalize + encode throughput of each venue's decoder, from packets held in memory into a sink that
 * only counts: the feed handler's CPU cost without I/O or transport. One operation is one pass over the packet
 * set; divide by the messages per pass ({@code messagesPerPass} in the output's secondary results is not
 * available in JMH, so the set sizes are printed at setup) for ns per message. Each pass moves the venue sequence
 * numbers forward so that the decoder sees new packets, never duplicates; after the first pass every symbol is
 * known, so the steady state allocates nothing ({@code -prof gc}).
 * <p>
 * ITCH packets come from the simulator; IEX and CME from the captures in {@code ../shared/data} (property
 * {@code tickbus.shared.data}).
 * <p>
 * {@code lines} 2 puts the A/B {@link LineArbiter} in front of the decoder, as the feed handler does with two
 * {@code --from} lines: every packet arrives on line A and then on line B, the B copy is counted a duplicate and
 * dropped, and the arbiter is polled once per 16 packet pairs (a duty cycle). Same packets, same decoder, so the
 * ratio of the two is the cost of arbitration.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class FeedBenchmark
{
    /** Venue under test. */
    @Param({"itch5", "iex-tops", "iex-deep"})
    public String venue;

    /** 1: the decoder alone; 2: A/B lines, every packet on both, through the arbiter. */
    @Param({"1", "2"})
    public int lines;

    private final List<UnsafeBuffer> packets = new ArrayList<>();
    private PacketDecoder decoder;
    private LineArbiter arbiter;
    private long lineErrors;
    private long published;
    private long pass;
    private long sequenceSpan;

    /**
     * Load or generate the packets and build the decoder.
     *
     * @throws IOException when a capture cannot be read.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final MessageSink sink = (buffer, offset, length) -> ++published;
        final String shared = System.getProperty("tickbus.shared.data", "../shared/data");
        switch (venue)
        {
            case "itch5" -> simulatedItch();
            case "iex-tops" -> capture(Path.of(shared, "iex", "20180127_IEXTP1_TOPS1.6.pcap.gz"), 20_000);
            case "iex-deep" -> capture(Path.of(shared, "iex", "iex_deep10_20231002_excerpt.pcap.gz"), 5_000);
            default -> throw new IllegalArgumentException(venue);
        }
        decoder = Venues.newDecoder(venue, new DecoderContext()
            .sink(sink)
            .stats(FeedStats.NONE)
            .feedId(1)
            .tradingDate(LocalDate.of(2023, 8, 22)));
        if (2 == lines)
        {
            arbiter = new LineArbiter(VenueFraming.of(venue), decoder, new String[]{"A", "B"},
                TimeUnit.MILLISECONDS.toNanos(2), TimeUnit.SECONDS.toNanos(1), 4096, 4 * 1024 * 1024, 100_000_000L,
                ex -> lineErrors++, LineStats.NONE, GapRecovery.NONE);
        }
        else if (1 != lines)
        {
            throw new IllegalArgumentException("lines 1 or 2: " + lines);
        }
        onePass(); // the whole set once: every symbol defined, the sequence under way
        if ("itch5".equals(venue))
        {
            // The session preamble (system events, stock directory, trading actions) is reference data that defines
            // each symbol once a day; the measured passes are the order flow after it.
            packets.subList(0, preambleLength()).clear();
        }
        sequenceSpan = sequenceSpan();
        System.out.println("\n" + venue + ", " + lines + " line(s): " + packets.size() + " packets, " + published +
            " bus messages per pass");
    }

    private void simulatedItch()
    {
        final PacketOutput collect = new PacketOutput()
        {
            public void send(final DirectBuffer buffer, final int offset, final int length)
            {
                final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
                copy.putBytes(0, buffer, offset, length);
                packets.add(copy);
            }

            public long packets()
            {
                return packets.size();
            }

            public void close()
            {
            }
        };
        try (ItchSimulator simulator = new ItchSimulator(new ItchSimulator.Context()
            .symbols(50).rate(0).count(50_000).seed(1).tradingDate(LocalDate.of(2023, 8, 22)).output(collect)))
        {
            while (!simulator.isDone())
            {
                simulator.doWork();
            }
        }
        // The last packet is the end of session: leave it out so that every pass continues the same session.
        packets.remove(packets.size() - 1);
    }

    private void capture(final Path file, final int maxPackets) throws IOException
    {
        if (!Files.isReadable(file))
        {
            throw new IllegalStateException("capture not found (set -Dtickbus.shared.data): " + file);
        }
        try (CaptureReader reader = CaptureReader.open(file))
        {
            while (packets.size() < maxPackets && reader.next())
            {
                final UnsafeBuffer copy = new UnsafeBuffer(new byte[reader.payloadLength()]);
                copy.putBytes(0, reader.buffer(), reader.payloadOffset(), reader.payloadLength());
                packets.add(copy);
            }
        }
    }

    private int preambleLength()
    {
        int preamble = 0;
        for (final MutableDirectBuffer packet : packets)
        {
            boolean reference = false;
            final int count = packet.getShort(MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            int at = MoldUdp64Decoder.HEADER_LENGTH;
            for (int i = 0; i < count && at + 3 <= packet.capacity(); i++)
            {
                final int length = packet.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                final byte type = packet.getByte(at + 2);
                reference |= 'R' == type || 'H' == type || 'S' == type;
                at += 2 + length;
            }
            if (!reference)
            {
                break;
            }
            preamble++;
        }
        return preamble;
    }

    /** Venue sequence numbers one pass covers, so that the next pass continues the sequence without a gap. */
    private long sequenceSpan()
    {
        long first = Long.MAX_VALUE;
        long end = 0;
        for (final MutableDirectBuffer packet : packets)
        {
            final boolean itch = "itch5".equals(venue);
            if (!itch && packet.capacity() < IexTp.HEADER_LENGTH)
            {
                continue;
            }
            final long seq = itch ? packet.getLong(MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) :
                packet.getLong(IexTp.FIRST_SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);
            final int count = itch ? packet.getShort(MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF :
                packet.getShort(IexTp.MESSAGE_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            first = Math.min(first, seq);
            end = Math.max(end, seq + (count == MoldUdp64Decoder.END_OF_SESSION_COUNT ? 0 : count));
        }
        return end - first;
    }

    private void shiftSequences(final long by)
    {
        for (final MutableDirectBuffer packet : packets)
        {
            if ("itch5".equals(venue))
            {
                final long seq = packet.getLong(MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
                packet.putLong(MoldUdp64Decoder.SEQUENCE_OFFSET, seq + by, ByteOrder.BIG_ENDIAN);
            }
            else if (packet.capacity() >= IexTp.HEADER_LENGTH)
            {
                final long seq = packet.getLong(IexTp.FIRST_SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN);
                packet.putLong(IexTp.FIRST_SEQ_OFFSET, seq + by, ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    private void onePass()
    {
        if (null != arbiter)
        {
            arbitratedPass();
            return;
        }
        for (int i = 0, n = packets.size(); i < n; i++)
        {
            final UnsafeBuffer packet = packets.get(i);
            decoder.onPacket(packet, 0, packet.capacity(), 0, i, -1);
        }
    }

    private void arbitratedPass()
    {
        for (int i = 0, n = packets.size(); i < n; i++)
        {
            if (0 == (i & 15))
            {
                arbiter.poll(System.nanoTime());
            }
            final UnsafeBuffer packet = packets.get(i);
            arbiter.onPacket(0, packet, 0, packet.capacity(), 0, i);
            arbiter.onPacket(1, packet, 0, packet.capacity(), 0, i);
        }
    }

    /**
     * One pass over the packet set, with fresh sequence numbers.
     *
     * @return bus messages published so far.
     */
    @Benchmark
    public long pass()
    {
        shiftSequences(sequenceSpan);
        pass++;
        onePass();
        return published;
    }
}
