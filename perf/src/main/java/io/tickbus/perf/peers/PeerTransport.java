package io.tickbus.perf.peers;

import org.agrona.DirectBuffer;

/**
 * One system under test, as the comparison drives it: a ping path and a pong path for round trips, and a data path
 * for one-way throughput. The harness owns the timing and the histograms; a transport only moves bytes.
 * <p>
 * Threading: {@link #offerPing}, {@link #pollPongs}, {@link #offerData} run on the harness's main thread,
 * {@link #doEchoWork} on the echo thread and {@link #pollData} on the consumer thread. Transports whose client
 * delivers on its own thread do their echo / delivery there and return 0 from the poll methods. Allocation is the
 * peer library's own business: measuring it is the point.
 */
public interface PeerTransport extends AutoCloseable
{
    /**
     * @return the system's name, e.g. "JeroMQ 0.6.0".
     */
    String system();

    /**
     * @return the transport, e.g. "tcp 127.0.0.1".
     */
    String transport();

    /**
     * @return true for a peer measured at the slow rate as well (a hop over TCP, through a broker or not).
     */
    default boolean slowPeer()
    {
        return false;
    }

    /**
     * @return true when the harness must drive {@link #doEchoWork} and {@link #pollData} from its own threads, false
     * when the client library delivers on threads of its own.
     */
    default boolean polled()
    {
        return true;
    }

    /**
     * Set up the ping and pong paths. The echo side decodes each ping with {@link Workload.EchoDecoder} (raw Aeron
     * excepted) and sends the same bytes back.
     *
     * @param onPong receives each pong on the main thread (from {@link #pollPongs}) or the client's thread.
     * @throws Exception when the system cannot be reached.
     */
    void openPingPong(PayloadHandler onPong) throws Exception;

    /**
     * @param buffer holding the ping.
     * @param offset of the ping.
     * @param length of the ping.
     * @return true when accepted, false when refused for now (back-pressure: the harness retries).
     */
    boolean offerPing(DirectBuffer buffer, int offset, int length);

    /**
     * @param limit of messages to handle.
     * @return messages handled.
     */
    int pollPongs(int limit);

    /**
     * @param limit of pings to echo.
     * @return pings echoed.
     */
    int doEchoWork(int limit);

    /** Tear down the ping and pong paths. */
    void closePingPong();

    /**
     * Set up the one-way data path.
     *
     * @param onData receives each message on the consumer thread (from {@link #pollData}) or the client's thread.
     * @throws Exception when the system cannot be reached.
     */
    void openThroughput(PayloadHandler onData) throws Exception;

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     * @return true when accepted, false when refused for now (the harness retries).
     */
    boolean offerData(DirectBuffer buffer, int offset, int length);

    /**
     * @param limit of messages to handle.
     * @return messages handled.
     */
    int pollData(int limit);

    /**
     * @return messages the system itself reports dropped on the data path (slow consumer, high-water mark), or -1
     * when it does not report them.
     */
    default long reportedDrops()
    {
        return -1;
    }

    /**
     * The sender's duty cycle while the harness waits for a throughput run to drain, on the thread that offers
     * (for a client that only makes progress when polled by its sending thread, like the sequencer client).
     *
     * @return work done.
     */
    default int doSenderWork()
    {
        return 0;
    }

    /** Tear down the data path. */
    void closeThroughput();

    /** Release everything; idempotent. */
    void close();
}
