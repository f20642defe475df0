package io.tickbus.feed.itch;

import io.tickbus.feed.GapRecovery;
import io.tickbus.feed.LineArbiter;
import io.tickbus.feed.LineStats;
import io.tickbus.feed.RecoveryStats;
import io.tickbus.feed.VenueFraming;
import io.tickbus.feed.Venues;
import io.tickbus.feed.sim.MoldUdp64History;
import io.tickbus.feed.sim.RerequestServer;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input on both sides of the MoldUDP64 re-request (ports 15810-15812): random and truncated answers are
 * counted malformed by the client and never reach the decoder or move the expectation; an answer of another
 * session is malformed too; random requests are counted by the server and get no answer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RerequestParsingTest
{
    private static final byte[] SESSION = "SESSION001".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(closeables);
    }

    private static int packet(final UnsafeBuffer buffer, final byte[] session, final long seq, final int messages)
    {
        buffer.putBytes(0, session);
        buffer.putLong(MoldUdp64Decoder.SEQUENCE_OFFSET, seq, ByteOrder.BIG_ENDIAN);
        buffer.putShort(MoldUdp64Decoder.COUNT_OFFSET, (short)messages, ByteOrder.BIG_ENDIAN);
        int at = MoldUdp64Decoder.HEADER_LENGTH;
        for (int i = 0; i < messages; i++)
        {
            buffer.putShort(at, (short)3, ByteOrder.BIG_ENDIAN);
            buffer.putBytes(at + 2, new byte[]{'X', 1, 2});
            at += 5;
        }
        return at;
    }

    @Test
    void requestRoundTripsAndBadRequestsAreInvalid()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final UnsafeBuffer session = new UnsafeBuffer(SESSION);
        final long high = session.getLong(0, ByteOrder.BIG_ENDIAN);
        final long low = session.getShort(8, ByteOrder.BIG_ENDIAN);
        assertEquals(20, MoldUdp64Rerequest.encode(buffer, 0, high, low, 123_456_789_012L, 700));
        assertEquals("SESSION001", buffer.getStringWithoutLengthAscii(0, 10), "the session, as sent on the line");
        assertEquals(123_456_789_012L, MoldUdp64Rerequest.firstSeq(buffer, 0));
        assertEquals(700, MoldUdp64Rerequest.count(buffer, 0));
        assertTrue(MoldUdp64Rerequest.isValid(buffer, 0, 20));
        assertFalse(MoldUdp64Rerequest.isValid(buffer, 0, 19));
        assertFalse(MoldUdp64Rerequest.isValid(buffer, 0, 21));
        MoldUdp64Rerequest.encode(buffer, 0, high, low, 0, 1);
        assertFalse(MoldUdp64Rerequest.isValid(buffer, 0, 20), "sequence 0");
        MoldUdp64Rerequest.encode(buffer, 0, high, low, 5, 0);
        assertFalse(MoldUdp64Rerequest.isValid(buffer, 0, 20), "count 0");
        MoldUdp64Rerequest.encode(buffer, 0, high, low, 5, 0xFFFF);
        assertFalse(MoldUdp64Rerequest.isValid(buffer, 0, 20), "count of an end of session");
    }

    @Test
    void malformedAnswersAreCountedAndChangeNothing() throws Exception
    {
        final List<Long> delivered = new ArrayList<>();
        final MoldUdp64RerequestClient client = track(new MoldUdp64RerequestClient(
            new InetSocketAddress("127.0.0.1", 15810), TimeUnit.SECONDS.toNanos(1), 1, 100, 0, RecoveryStats.NONE));
        final LineArbiter arbiter = new LineArbiter(VenueFraming.of(Venues.ITCH5),
            (buffer, offset, length, receiveTimeNs, packetNumber, fileOffset) ->
                delivered.add(buffer.getLong(offset + MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN)),
            new String[]{"line A"}, 0, TimeUnit.SECONDS.toNanos(1), 16, 64 * 1024, 1_000_000,
            Throwable::printStackTrace, LineStats.NONE, client);
        client.arbiter(arbiter);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[2048]);
        arbiter.poll(0);
        arbiter.onPacket(0, packet, 0, packet(packet, SESSION, 1, 2), 0, 1);
        assertEquals(3, arbiter.expected());

        final DatagramChannel fake = track(DatagramChannel.open());
        fake.bind(new InetSocketAddress("127.0.0.1", 15810));
        final InetSocketAddress to = client.localAddress();
        final SplittableRandom random = new SplittableRandom(15);
        final ByteBuffer send = ByteBuffer.allocateDirect(2048);
        final int sent = 500;
        final long endBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long read = 0;
        for (int i = 0; i < sent; i++)
        {
            send.clear();
            final int length;
            switch (i % 5)
            {
                case 0 -> length = packet(new UnsafeBuffer(send), "OTHERSESS1".getBytes(), 3, 2); // other session
                case 1 -> length = packet(new UnsafeBuffer(send), SESSION, 3, 3) - 1 - random.nextInt(4); // cut
                case 2 -> length = 1 + random.nextInt(MoldUdp64Decoder.HEADER_LENGTH - 1); // shorter than a header
                case 3 ->
                {
                    length = packet(new UnsafeBuffer(send), SESSION, 3, 2); // count says more than there is
                    new UnsafeBuffer(send).putShort(MoldUdp64Decoder.COUNT_OFFSET, (short)7, ByteOrder.BIG_ENDIAN);
                }
                default ->
                {
                    length = 1 + random.nextInt(1500);
                    for (int b = 0; b < length; b++)
                    {
                        send.put(b, (byte)random.nextInt());
                    }
                }
            }
            send.limit(length).position(0);
            fake.send(send, to);
            while (read <= i && System.nanoTime() < endBy) // one at a time: the socket buffer never overflows
            {
                final int n = client.poll(0);
                read += n;
                if (0 == n)
                {
                    Thread.yield();
                }
            }
        }
        assertEquals(sent, read);
        assertEquals(sent, client.malformed(), client.toJson());
        assertEquals(0, client.recovered());
        assertEquals(List.of(1L), delivered, "nothing malformed reached the decoder");
        assertEquals(3, arbiter.expected(), "the expectation did not move");

        final int good = packet(packet, SESSION, 3, 2);
        send.clear();
        packet.getBytes(0, send, good);
        send.flip();
        fake.send(send, to);
        while (0 == client.recovered() && System.nanoTime() < endBy)
        {
            client.poll(0);
            Thread.sleep(1);
        }
        assertEquals(2, client.recovered(), "a good answer after the bad ones is taken");
        assertEquals(List.of(1L, 3L), delivered);
    }

    @Test
    void randomRequestsAreCountedAndNotAnswered() throws Exception
    {
        final MoldUdp64History history = new MoldUdp64History(16, 64 * 1024);
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[2048]);
        history.record(packet, 0, packet(packet, SESSION, 1, 10));
        final RerequestServer server = track(new RerequestServer(history, 15811, 1400));
        final DatagramChannel asker = track(DatagramChannel.open());
        asker.bind(new InetSocketAddress("127.0.0.1", 15812));
        asker.configureBlocking(false);
        final SplittableRandom random = new SplittableRandom(16);
        final ByteBuffer send = ByteBuffer.allocateDirect(2048);
        final int sent = 300;
        final long endBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 0; i < sent; i++)
        {
            send.clear();
            final int length = i % 2 == 0 ? 1 + random.nextInt(100) : 20;
            for (int b = 0; b < length; b++)
            {
                send.put(b, (byte)random.nextInt());
            }
            send.limit(length).position(0);
            asker.send(send, server.localAddress());
            while (server.requests() <= i && System.nanoTime() < endBy)
            {
                if (0 == server.doWork())
                {
                    Thread.yield();
                }
            }
        }
        assertEquals(sent, server.requests());
        assertEquals(sent, server.malformed() + server.unanswerable(), server.toJson());
        assertEquals(0, server.answered());
        final ByteBuffer answer = ByteBuffer.allocateDirect(2048);
        assertEquals(null, asker.receive(answer), "no answer to any");

        final UnsafeBuffer session = new UnsafeBuffer(SESSION);
        final UnsafeBuffer request = new UnsafeBuffer(send);
        MoldUdp64Rerequest.encode(request, 0, session.getLong(0, ByteOrder.BIG_ENDIAN),
            session.getShort(8, ByteOrder.BIG_ENDIAN), 4, 3);
        send.clear().limit(20);
        asker.send(send, server.localAddress());
        while (0 == server.answered() && System.nanoTime() < endBy)
        {
            server.doWork();
            Thread.sleep(1);
        }
        asker.configureBlocking(true);
        answer.clear();
        asker.receive(answer);
        final DirectBuffer got = new UnsafeBuffer(answer, 0, answer.position());
        assertTrue(MoldUdp64Rerequest.isWellFormedAnswer(got, 0, answer.position()));
        assertEquals(4, got.getLong(MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN));
        assertEquals(3, got.getShort(MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN));
        assertEquals(20 + 3 * 5, answer.position(), "messages 4, 5 and 6, nothing else");
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(0, closeable);
        return closeable;
    }
}
