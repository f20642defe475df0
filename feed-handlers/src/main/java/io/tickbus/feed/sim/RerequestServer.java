package io.tickbus.feed.sim;

import io.tickbus.feed.itch.MoldUdp64Decoder;
import io.tickbus.feed.itch.MoldUdp64Rerequest;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;

/**
 * The simulator's MoldUDP64 re-request server: it listens on a UDP endpoint for {@link MoldUdp64Rerequest}s and
 * answers each from its {@link MoldUdp64History} with normal MoldUDP64 packets holding the requested messages (as
 * many packets as the count needs, each at most {@code maxAnswerBytes}, at most {@link #MAX_ANSWERS_PER_REQUEST}).
 * A malformed request, one of another session, or one for messages no longer (or not yet) in the history gets no
 * answer, and is counted. {@link #recording(PacketOutput)} puts the history in front of the simulator's output,
 * before any loss, as a venue keeps what it sent.
 * <p>
 * Threading: an {@link Agent} on its own thread (the history synchronizes with the sending thread).
 * Allocation: buffers at construction; the sender's address of each request (the JDK's).
 */
public final class RerequestServer implements Agent, AutoCloseable
{
    /** Answer packets sent for one request at most. */
    public static final int MAX_ANSWERS_PER_REQUEST = 64;
    /** Requests handled per duty cycle at most. */
    public static final int REQUESTS_PER_CYCLE = 16;

    private final MoldUdp64History history;
    private final DatagramChannel channel;
    private final InetSocketAddress localAddress;
    private final int maxAnswerBytes;
    private final ByteBuffer requestBuffer = BufferUtil.allocateDirectAligned(64 * 1024, 64);
    private final UnsafeBuffer request = new UnsafeBuffer(requestBuffer);
    private final ByteBuffer answerBuffer = BufferUtil.allocateDirectAligned(64 * 1024, 64);
    private final UnsafeBuffer answer = new UnsafeBuffer(answerBuffer);
    private volatile long requests;
    private volatile long answered;
    private volatile long messagesSent;
    private volatile long malformed;
    private volatile long unanswerable;

    /**
     * @param history what was sent.
     * @param port UDP port on 127.0.0.1 to serve on, 0 for any.
     * @param maxAnswerBytes largest answer packet (the venue's packet size, e.g. 1400).
     */
    public RerequestServer(final MoldUdp64History history, final int port, final int maxAnswerBytes)
    {
        if (maxAnswerBytes < 128 || maxAnswerBytes > 65507)
        {
            throw new IllegalArgumentException("answer bytes must be 128..65507: " + maxAnswerBytes);
        }
        this.history = history;
        this.maxAnswerBytes = maxAnswerBytes;
        try
        {
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress("127.0.0.1", port));
            localAddress = (InetSocketAddress)channel.getLocalAddress();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot serve re-requests on 127.0.0.1:" + port + ": " + ex.getMessage(),
                ex);
        }
    }

    /**
     * @param output the simulator's output (lines, loss).
     * @return an output that records each packet in this server's history, then sends it on.
     */
    public PacketOutput recording(final PacketOutput output)
    {
        return new PacketOutput()
        {
            public void send(final DirectBuffer buffer, final int offset, final int length)
            {
                history.record(buffer, offset, length);
                output.send(buffer, offset, length);
            }

            public long packets()
            {
                return output.packets();
            }

            public void close()
            {
                output.close();
            }
        };
    }

    /** {@inheritDoc} */
    public String roleName()
    {
        return "tickbus-rerequest-server";
    }

    /** {@inheritDoc} */
    public int doWork() throws IOException
    {
        int work = 0;
        while (work < REQUESTS_PER_CYCLE)
        {
            requestBuffer.clear();
            final SocketAddress from = channel.receive(requestBuffer);
            if (null == from)
            {
                break;
            }
            work++;
            requests++;
            final int length = requestBuffer.position();
            if (!MoldUdp64Rerequest.isValid(request, 0, length))
            {
                malformed++;
                continue;
            }
            serve(from);
        }
        return work;
    }

    private void serve(final SocketAddress to) throws IOException
    {
        long next = MoldUdp64Rerequest.firstSeq(request, 0);
        int remaining = MoldUdp64Rerequest.count(request, 0);
        int sent = 0;
        while (remaining > 0 && sent < MAX_ANSWERS_PER_REQUEST)
        {
            final int length = history.answer(request, 0, next, remaining, answer, maxAnswerBytes);
            if (0 == length)
            {
                break;
            }
            final int n = answer.getShort(MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            answerBuffer.clear().limit(length);
            channel.send(answerBuffer, to);
            sent++;
            messagesSent += n;
            next += n;
            remaining -= n;
        }
        if (0 == sent)
        {
            unanswerable++;
        }
        else
        {
            answered++;
        }
    }

    /** @return the address served on. */
    public InetSocketAddress localAddress()
    {
        return localAddress;
    }

    /** @return requests received. */
    public long requests()
    {
        return requests;
    }

    /** @return requests answered with at least one message. */
    public long answered()
    {
        return answered;
    }

    /** @return messages sent in answers. */
    public long messagesSent()
    {
        return messagesSent;
    }

    /** @return malformed requests dropped. */
    public long malformed()
    {
        return malformed;
    }

    /** @return well-formed requests the history could not answer (other session, too old, not sent yet). */
    public long unanswerable()
    {
        return unanswerable;
    }

    /** @return {@code {"requests":N,"answered":N,"messages":N,"malformed":N,"unanswerable":N}} (allocates). */
    public String toJson()
    {
        return "{\"requests\":" + requests + ",\"answered\":" + answered + ",\"messages\":" + messagesSent +
            ",\"malformed\":" + malformed + ",\"unanswerable\":" + unanswerable + "}";
    }

    /** {@inheritDoc} */
    public void onClose()
    {
        close();
    }

    /** Close the socket. */
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
