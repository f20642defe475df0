package io.tickbus.feed.reliability;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.GapRecovery;
import io.tickbus.feed.LineArbiter;
import io.tickbus.feed.LineStats;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.TestSupport;
import io.tickbus.feed.VenueFraming;
import io.tickbus.feed.Venues;
import io.tickbus.feed.itch.MoldUdp64Decoder;
import io.tickbus.feed.itch.MoldUdp64Rerequest;
import io.tickbus.feed.sim.MoldUdp64History;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Coverage-guided fuzzing (Jazzer) of the recovery code: the MoldUDP64 re-request as the server parses a request
 * and answers it from its history, the answer as the client checks it and hands it to the arbiter, and the A/B
 * {@link LineArbiter} fed arbitrary packets on two lines, recovered packets and clock steps.
 * <p>
 * Invariants: no exception escapes; an answer the client refuses changes nothing; every answer the server builds
 * is one the client accepts as well-formed, of the asked session, starting at the asked sequence; the arbiter's
 * counts add up (every line packet is won, a duplicate or deferred once the hold is released), every declared gap
 * reached the recovery, the decoder announced as many gaps as the arbiter declared, and the expectation never goes
 * back within a session.
 * <p>
 * As {@link VenueDecoderFuzzTest}: in {@code mvn verify} each target runs its seeds only (built here from MoldUDP64
 * packets, written into {@code RecoveryFuzzTestInputs/<method>/} of the test-classes directory);
 * {@code -Pfuzz -Dtest='RecoveryFuzzTest#lineArbiter'} fuzzes one target.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecoveryFuzzTest
{
    private static final String SESSION = "FUZZSESS01";
    private static final LocalDate TRADING_DATE = LocalDate.of(2023, 8, 22);
    private static final int MAX_OPS = 2_000;

    /** ITCH System Event "O" (12 bytes), enough for a decodable message block. */
    private static byte[] systemEvent()
    {
        return new byte[]{'S', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'O'};
    }

    private static byte[] packet(final String session, final long seq, final int messages)
    {
        final List<byte[]> blocks = new ArrayList<>();
        for (int i = 0; i < messages; i++)
        {
            blocks.add(systemEvent());
        }
        return TestSupport.moldPacket(session, seq, blocks);
    }

    @BeforeAll
    static void writeSeeds() throws IOException
    {
        final Path inputs = Path.of(classesDirectory()).resolve("io/tickbus/feed/reliability/RecoveryFuzzTestInputs");
        final Path server = Files.createDirectories(inputs.resolve("rerequestServer"));
        final UnsafeBuffer request = new UnsafeBuffer(new byte[MoldUdp64Rerequest.LENGTH]);
        final UnsafeBuffer session = new UnsafeBuffer(packet(SESSION, 1, 0));
        final long high = session.getLong(0, ByteOrder.BIG_ENDIAN);
        final long low = session.getShort(8, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final long[][] asks = {{1, 1}, {3, 5}, {10, 100}, {40, 2}, {0, 1}, {7, 0}};
        for (int i = 0; i < asks.length; i++)
        {
            MoldUdp64Rerequest.encode(request, 0, high, low, asks[i][0], (int)asks[i][1]);
            Files.write(server.resolve("seed-" + i), request.byteArray());
        }
        final Path answer = Files.createDirectories(inputs.resolve("rerequestAnswer"));
        Files.write(answer.resolve("seed-0"), packet(SESSION, 3, 2));
        Files.write(answer.resolve("seed-1"), packet(SESSION, 9, 1));
        Files.write(answer.resolve("seed-2"), packet("OTHERSESS1", 3, 1));
        Files.write(answer.resolve("seed-3"), java.util.Arrays.copyOf(packet(SESSION, 3, 2), 30));

        // lineArbiter: ops of [op][length: 2 bytes][payload]; op % 4: 0 line A, 1 line B, 2 recovered, 3 clock step
        final Path arbiter = Files.createDirectories(inputs.resolve("lineArbiter"));
        final ByteArrayOutputStream ab = new ByteArrayOutputStream();
        for (int seq = 1; seq < 60; seq += 2)
        {
            final byte[] p = packet(SESSION, seq, 2);
            if (seq % 7 != 0)
            {
                op(ab, 0, p);
            }
            if (seq % 5 != 0)
            {
                op(ab, 1, p);
            }
            if (seq % 11 == 0)
            {
                op(ab, 3, new byte[]{0, 50});
            }
            if (seq % 13 == 0)
            {
                op(ab, 2, packet(SESSION, seq - 6, 4));
            }
        }
        op(ab, 0, packet("FUZZSESS02", 1, 1));
        Files.write(arbiter.resolve("seed-0"), ab.toByteArray());
        final ByteArrayOutputStream burst = new ByteArrayOutputStream();
        op(burst, 0, packet(SESSION, 1, 1));
        for (int seq = 3; seq < 40; seq++)
        {
            op(burst, seq % 2, packet(SESSION, seq, 1));
        }
        op(burst, 3, new byte[]{1, 0});
        op(burst, 2, packet(SESSION, 2, 1));
        op(burst, 3, new byte[]{1, 0});
        Files.write(arbiter.resolve("seed-1"), burst.toByteArray());
    }

    private static void op(final ByteArrayOutputStream out, final int op, final byte[] payload)
    {
        out.write(op);
        out.write(payload.length >>> 8);
        out.write(payload.length & 0xFF);
        out.writeBytes(payload);
    }

    /**
     * The server's side: a request from the wire is either invalid (no answer) or answered from a history of 40
     * packets of one session exactly as {@code RerequestServer} does; each answer packet is well-formed, of the
     * session, starts at the next sequence asked and never holds more than asked.
     */
    @FuzzTest(maxDuration = "2m")
    void rerequestServer(final byte[] bytes)
    {
        final MoldUdp64History history = new MoldUdp64History(64, 64 * 1024);
        long seq = 1;
        for (int i = 0; i < 40; i++)
        {
            final byte[] p = packet(SESSION, seq, 1 + i % 3);
            history.record(new UnsafeBuffer(p), 0, p.length);
            seq += 1 + i % 3;
        }
        final UnsafeBuffer request = new UnsafeBuffer(new byte[Math.max(bytes.length, 1) + 8]);
        request.putBytes(8, bytes);
        if (!MoldUdp64Rerequest.isValid(request, 8, bytes.length))
        {
            return;
        }
        long next = MoldUdp64Rerequest.firstSeq(request, 8);
        int remaining = MoldUdp64Rerequest.count(request, 8);
        final UnsafeBuffer answer = new UnsafeBuffer(new byte[1400]);
        for (int sent = 0; remaining > 0 && sent < 64; sent++)
        {
            final int length = history.answer(request, 8, next, remaining, answer, answer.capacity());
            if (0 == length)
            {
                break;
            }
            if (length > answer.capacity() || !MoldUdp64Rerequest.isWellFormedAnswer(answer, 0, length))
            {
                throw new AssertionError("answer not well-formed: length " + length);
            }
            final int n = answer.getShort(MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (answer.getLong(MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) != next || n < 1 ||
                n > remaining || !SESSION.equals(answer.getStringWithoutLengthAscii(0, 10)))
            {
                throw new AssertionError("answer " + n + " from " +
                    answer.getLong(MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) + " for " + remaining +
                    " from " + next);
            }
            next += n;
            remaining -= n;
        }
    }

    /**
     * The client's side: an arbitrary answer arrives while the arbiter holds packets after a gap at 2; refused
     * (not well-formed, or not taken) it changes nothing; taken it only moves the expectation forward.
     */
    @FuzzTest(maxDuration = "2m")
    void rerequestAnswer(final byte[] bytes)
    {
        final Harness h = new Harness();
        h.line(0, packet(SESSION, 1, 1));
        h.line(0, packet(SESSION, 5, 1));
        final long expected = h.arbiter.expected();
        final int delivered = h.decoded;
        final UnsafeBuffer answer = new UnsafeBuffer(new byte[bytes.length + 8]);
        answer.putBytes(8, bytes);
        final int taken = MoldUdp64Rerequest.isWellFormedAnswer(answer, 8, bytes.length) ?
            h.arbiter.onRecoveredPacket(answer, 8, bytes.length, 0) : -1;
        if (taken < 0 && (h.arbiter.expected() != expected || h.decoded != delivered))
        {
            throw new AssertionError("a refused answer changed the arbiter");
        }
        if (h.arbiter.expected() < expected)
        {
            throw new AssertionError("expectation went back: " + h.arbiter.expected() + " < " + expected);
        }
        h.check();
    }

    /** The arbiter on arbitrary operations: packets on two lines, recovered packets, clock steps. */
    @FuzzTest(maxDuration = "2m")
    void lineArbiter(final byte[] bytes)
    {
        final Harness h = new Harness();
        final UnsafeBuffer input = new UnsafeBuffer(bytes);
        int at = 0;
        for (int ops = 0; ops < MAX_OPS && at + 3 <= bytes.length; ops++)
        {
            final int op = (input.getByte(at) & 0xFF) % 4;
            final int length = Math.min(input.getShort(at + 1, ByteOrder.BIG_ENDIAN) & 0xFFFF, bytes.length - at - 3);
            at += 3;
            final long sessionBefore = h.arbiter.sessionLow() ^ h.arbiter.sessionHigh();
            final long expectedBefore = h.arbiter.expected();
            switch (op)
            {
                case 0, 1 -> h.arbiter.onPacket(op, input, at, length, 0, ops);
                case 2 -> h.arbiter.onRecoveredPacket(input, at, length, 0);
                default -> h.step(length >= 2 ? (input.getShort(at, ByteOrder.BIG_ENDIAN) & 0xFFFF) * 1_000L : 1_000L);
            }
            if (2 == op && (h.arbiter.sessionLow() ^ h.arbiter.sessionHigh()) == sessionBefore &&
                expectedBefore != -1 && h.arbiter.expected() < expectedBefore)
            {
                throw new AssertionError("a recovered packet moved the expectation back");
            }
            at += length;
        }
        h.releaseAll();
        h.check();
    }

    /** An ITCH decoder behind a two-line arbiter with a small hold and a recovery that keeps a little. */
    private static final class Harness implements GapRecovery
    {
        final ParseSummary summary = new ParseSummary();
        final PacketDecoder decoder;
        final LineArbiter arbiter;
        int decoded;
        long declaredToRecovery;
        long nowNs = 1_000_000;

        Harness()
        {
            final PacketDecoder itch = Venues.newDecoder(Venues.ITCH5, new DecoderContext()
                .sink((buffer, offset, length) -> 1).stats(summary).tradingDate(TRADING_DATE)
                .maxSequenceJump(1_000).errorHandler(ex -> { }));
            decoder = (buffer, offset, length, t, n, o) ->
            {
                decoded++;
                itch.onPacket(buffer, offset, length, t, n, o);
            };
            arbiter = new LineArbiter(VenueFraming.of(Venues.ITCH5), decoder, new String[]{"A", "B"}, 100_000,
                1_000_000_000L, 8, 64 * 1024, 1_000, ex -> { }, LineStats.NONE, this);
            arbiter.poll(nowNs);
        }

        void line(final int line, final byte[] packet)
        {
            arbiter.onPacket(line, new UnsafeBuffer(packet), 0, packet.length, 0, 1);
        }

        void step(final long ns)
        {
            nowNs += ns;
            arbiter.poll(nowNs);
        }

        /** A packet of a session never seen releases whatever is held. */
        void releaseAll()
        {
            line(0, packet("ZZZZZZZZZZ", 1, 1));
        }

        public boolean onGap(final long fromSeq, final long count, final int attempt, final long nowNs)
        {
            if (count < 1)
            {
                throw new AssertionError("a gap of " + count + " from " + fromSeq);
            }
            return attempt < 3;
        }

        public boolean onHoldFull(final long fromSeq, final long count, final long nowNs)
        {
            return 0 == (fromSeq & 1);
        }

        public void onDeclared(final long fromSeq, final long count, final int reason)
        {
            declaredToRecovery++;
        }

        void check()
        {
            long packets = 0;
            long accounted = arbiter.deferred() + arbiter.held();
            for (int line = 0; line < arbiter.lines(); line++)
            {
                packets += arbiter.packets(line);
                accounted += arbiter.won(line) + arbiter.duplicates(line);
            }
            if (0 == arbiter.held() && packets != accounted)
            {
                throw new AssertionError("line packets " + packets + " != won + duplicates + deferred " + accounted +
                    ": " + arbiter.toJson());
            }
            if (arbiter.gapsDeclared() != declaredToRecovery)
            {
                throw new AssertionError("declared " + arbiter.gapsDeclared() + " but reported to recovery " +
                    declaredToRecovery);
            }
            if (arbiter.gapsDeclared() != summary.gaps())
            {
                throw new AssertionError("arbiter declared " + arbiter.gapsDeclared() + ", decoder announced " +
                    summary.gaps() + ": " + arbiter.toJson());
            }
        }
    }

    private static String classesDirectory()
    {
        try
        {
            return Path.of(RecoveryFuzzTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
        }
        catch (final java.net.URISyntaxException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
