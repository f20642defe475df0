package io.tickbus.feed.itch;

import io.tickbus.feed.GapRecovery;
import io.tickbus.feed.LineArbiter;
import io.tickbus.feed.RecoveryStats;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The MoldUDP64 re-request client of a feed handler, behind the {@link GapRecovery} seam of its {@link LineArbiter}
 * (one line or A/B): a gap that no line filled within the hold becomes a {@link MoldUdp64Rerequest} sent to the
 * venue's re-request endpoint, for at most {@code maxRequestCount} messages at once, at most one request per
 * {@code minIntervalNs}. While it waits the arbiter keeps holding the later packets (up to its hold bound); an
 * answer ({@link #poll(long)}) goes through the arbiter like a line's copy, so the decoder sees the filled gap and
 * then the held packets in order. A request unanswered within {@code timeoutNs} is counted a timeout and sent
 * again, up to {@code retries} times; then the gap is given up and the arbiter declares it (the decoder publishes
 * the {@code GapNotice}). A partial answer moves the gap on and starts its retries afresh.
 * <p>
 * When the hold is full, the packets that do not fit are left to this client (the arbiter drops them, counted
 * deferred, and re-requests them as a later gap) while the server answers: until a request times out, and again
 * from its next answer. After a timeout with no answer since, a full hold gives the gap up at once (counted given up
 * and given up on a full hold): a server that does not answer cannot be relied on for what the hold cannot keep.
 * Every gap the arbiter declares, whatever the reason, is counted given up ({@link #onDeclared}), so that gaps given
 * up equal the gaps the decoder announces.
 * <p>
 * An answer that is not a well-formed MoldUDP64 data packet of the current session is counted malformed and
 * dropped; it never moves the expectation.
 * <p>
 * Threading: the feed handler's thread. Allocation: the socket and its buffers at construction; nothing per gap,
 * request or answer.
 */
public final class MoldUdp64RerequestClient implements GapRecovery, AutoCloseable
{
    /** Answers read per {@link #poll(long)} at most. */
    public static final int ANSWERS_PER_POLL = 64;
    private static final long NONE = Long.MIN_VALUE;

    private final InetSocketAddress server;
    private final long timeoutNs;
    private final int retries;
    private final int maxRequestCount;
    private final long minIntervalNs;
    private final RecoveryStats stats;
    private final DatagramChannel channel;
    private final ByteBuffer sendBuffer = BufferUtil.allocateDirectAligned(64, 64);
    private final UnsafeBuffer send = new UnsafeBuffer(sendBuffer);
    private final ByteBuffer receiveBuffer = BufferUtil.allocateDirectAligned(64 * 1024, 64);
    private final UnsafeBuffer receive = new UnsafeBuffer(receiveBuffer);
    private LineArbiter arbiter;

    private long gapFrom = NONE;
    private long sentNs = NONE;
    private long lastSendNs = NONE;
    private int sends;
    private long requests;
    private long recovered;
    private long timeouts;
    private long givenUp;
    private long givenUpHoldFull;
    private long deferred;
    private boolean answering = true;
    private long malformed;
    private long sendErrors;

    /**
     * @param server the venue's re-request endpoint.
     * @param timeoutNs how long a request waits for its answer before it is sent again.
     * @param retries requests sent again for one gap before it is given up.
     * @param maxRequestCount messages asked for at once, 1..{@link MoldUdp64Rerequest#MAX_COUNT}.
     * @param minIntervalNs rate limit: least time between two requests.
     * @param stats where requests, recoveries, timeouts and give-ups are counted.
     */
    public MoldUdp64RerequestClient(
        final InetSocketAddress server,
        final long timeoutNs,
        final int retries,
        final int maxRequestCount,
        final long minIntervalNs,
        final RecoveryStats stats)
    {
        if (timeoutNs <= 0 || retries < 0 || maxRequestCount < 1 || maxRequestCount > MoldUdp64Rerequest.MAX_COUNT ||
            minIntervalNs < 0)
        {
            throw new IllegalArgumentException("re-request: timeout > 0, retries >= 0, request count 1.." +
                MoldUdp64Rerequest.MAX_COUNT + ", interval >= 0");
        }
        this.server = server;
        this.timeoutNs = timeoutNs;
        this.retries = retries;
        this.maxRequestCount = maxRequestCount;
        this.minIntervalNs = minIntervalNs;
        this.stats = stats;
        try
        {
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(server.getAddress(), 0));
            channel.connect(server);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a re-request socket to " + server + ": " + ex.getMessage(),
                ex);
        }
    }

    /**
     * @param arbiter whose session the requests name and to which answers go; set once, before the first poll.
     * @return this.
     */
    public MoldUdp64RerequestClient arbiter(final LineArbiter arbiter)
    {
        this.arbiter = arbiter;
        return this;
    }

    /** {@inheritDoc} */
    public boolean onGap(final long fromSeq, final long count, final int attempt, final long nowNs)
    {
        if (fromSeq != gapFrom)
        {
            gapFrom = fromSeq;
            sentNs = NONE;
            sends = 0;
        }
        if (NONE != sentNs)
        {
            if (nowNs - sentNs < timeoutNs)
            {
                return true;
            }
            timeouts++;
            stats.onTimeout();
            sentNs = NONE;
            answering = false;
        }
        if (sends > retries || null == arbiter || !arbiter.hasSession())
        {
            return false; // declared: counted given up in onDeclared
        }
        if (NONE != lastSendNs && nowNs - lastSendNs < minIntervalNs)
        {
            return true; // rate limited: asked again at the next hold expiry
        }
        final int wanted = (int)Math.min(count, maxRequestCount);
        MoldUdp64Rerequest.encode(send, 0, arbiter.sessionHigh(), arbiter.sessionLow(), fromSeq, wanted);
        sendBuffer.clear().limit(MoldUdp64Rerequest.LENGTH);
        sends++;
        sentNs = nowNs;
        lastSendNs = nowNs;
        try
        {
            channel.write(sendBuffer);
            requests++;
            stats.onRequest();
        }
        catch (final IOException ex)
        {
            sendErrors++; // the server's port is closed (ICMP): the request times out and is retried
        }
        return true;
    }

    /** {@inheritDoc} */
    public boolean onHoldFull(final long fromSeq, final long count, final long nowNs)
    {
        if (answering && null != arbiter && arbiter.hasSession())
        {
            deferred++;
            stats.onDeferred();
            return true;
        }
        return false;
    }

    /** {@inheritDoc} */
    public void onDeclared(final long fromSeq, final long count, final int reason)
    {
        givenUp++;
        stats.onGivenUp();
        if (HOLD_FULL == reason)
        {
            givenUpHoldFull++;
            stats.onGivenUpHoldFull();
        }
        gapFrom = NONE;
        sentNs = NONE;
    }

    /**
     * Read the answers that arrived and pass them to the arbiter; once per duty cycle, after
     * {@link LineArbiter#poll(long)} and before the cycle's line packets.
     *
     * @param receiveTimeNs epoch ns to stamp on the answers.
     * @return answers read.
     */
    public int poll(final long receiveTimeNs)
    {
        int work = 0;
        for (int i = 0; i < ANSWERS_PER_POLL; i++)
        {
            receiveBuffer.clear();
            final int length;
            try
            {
                length = channel.read(receiveBuffer);
            }
            catch (final PortUnreachableException ex)
            {
                continue; // the ICMP of an earlier request to a closed port; not an answer
            }
            catch (final IOException ex)
            {
                sendErrors++;
                break;
            }
            if (length <= 0)
            {
                break;
            }
            work++;
            final int taken = MoldUdp64Rerequest.isWellFormedAnswer(receive, 0, length) && null != arbiter ?
                arbiter.onRecoveredPacket(receive, 0, length, receiveTimeNs) : -1;
            if (taken < 0)
            {
                malformed++;
                stats.onMalformed();
            }
            else
            {
                answering = true;
            }
            if (taken > 0)
            {
                recovered += taken;
                stats.onRecovered(taken);
            }
        }
        return work;
    }

    /** @return the local address answers come to. */
    public InetSocketAddress localAddress()
    {
        try
        {
            return (InetSocketAddress)channel.getLocalAddress();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the server's address. */
    public InetSocketAddress server()
    {
        return server;
    }

    /** @return requests sent. */
    public long requests()
    {
        return requests;
    }

    /** @return messages recovered (filled a gap no line had filled). */
    public long recovered()
    {
        return recovered;
    }

    /** @return requests that were not answered in time. */
    public long timeouts()
    {
        return timeouts;
    }

    /** @return gaps given up, whatever the reason, each then declared as a GapNotice. */
    public long givenUp()
    {
        return givenUp;
    }

    /** @return of {@link #givenUp()}, the gaps given up because the hold was full and the server had not answered. */
    public long givenUpHoldFull()
    {
        return givenUpHoldFull;
    }

    /** @return packets that arrived while the hold was full, left to the re-request (dropped by the arbiter). */
    public long deferred()
    {
        return deferred;
    }

    /** @return malformed or foreign answers dropped. */
    public long malformed()
    {
        return malformed;
    }

    /** @return requests that could not be sent (closed port); they time out and are retried. */
    public long sendErrors()
    {
        return sendErrors;
    }

    /**
     * @return {@code {"requests":N,"recovered":N,"timeouts":N,"givenUp":N,"givenUpHoldFull":N,"deferred":N,
     *         "malformed":N}} (allocates: for the end-of-run summary).
     */
    public String toJson()
    {
        return "{\"requests\":" + requests + ",\"recovered\":" + recovered + ",\"timeouts\":" + timeouts +
            ",\"givenUp\":" + givenUp + ",\"givenUpHoldFull\":" + givenUpHoldFull + ",\"deferred\":" + deferred +
            ",\"malformed\":" + malformed + "}";
    }

    /** Close the socket. */
    public void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing a datagram socket does not fail in a way the feed can act on
        }
    }
}
