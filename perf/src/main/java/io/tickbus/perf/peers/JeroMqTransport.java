package io.tickbus.perf.peers;

import io.tickbus.client.MessageDispatcher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.nio.ByteBuffer;

/**
 * ZeroMQ PUB/SUB in pure Java (JeroMQ) over tcp on loopback or inproc, with the library's default high-water mark:
 * a PUB socket never blocks and drops what does not fit, so loss is what the subscriber did not count.
 * <p>
 * Threading: each socket is used by one thread only (ping PUB and pong SUB by the main thread, ping SUB and pong
 * PUB by the echo thread, data SUB by the consumer thread); sockets are made before those threads start. Allocates
 * sockets and one send and one receive buffer per thread on open; JeroMQ allocates internally per message.
 */
public final class JeroMqTransport implements PeerTransport
{
    private static final int MAX_LENGTH = 1024;

    private final String transport;
    private final String pingEndpoint;
    private final String pongEndpoint;
    private final String dataEndpoint;
    private final int highWaterMark;
    private final ZContext context = new ZContext(1);
    private final ByteBuffer mainSend = ByteBuffer.allocateDirect(MAX_LENGTH);
    private final ByteBuffer mainReceive = ByteBuffer.allocateDirect(MAX_LENGTH);
    private final UnsafeBuffer mainView = new UnsafeBuffer(mainReceive);
    private final ByteBuffer echoBuffer = ByteBuffer.allocateDirect(MAX_LENGTH);
    private final UnsafeBuffer echoView = new UnsafeBuffer(echoBuffer);
    private final ByteBuffer consumerBuffer = ByteBuffer.allocateDirect(MAX_LENGTH);
    private final UnsafeBuffer consumerView = new UnsafeBuffer(consumerBuffer);
    private final MessageDispatcher echoDecoder = Workload.echoDecoder();
    private ZMQ.Socket pingPub;
    private ZMQ.Socket pingSub;
    private ZMQ.Socket pongPub;
    private ZMQ.Socket pongSub;
    private ZMQ.Socket dataPub;
    private ZMQ.Socket dataSub;
    private PayloadHandler onPong;
    private PayloadHandler onData;

    /**
     * @param transport name of the transport for the table.
     * @param pingEndpoint e.g. tcp://127.0.0.1:39301 or inproc://ping.
     * @param pongEndpoint endpoint of pongs.
     * @param dataEndpoint endpoint of the throughput run.
     * @param highWaterMark messages queued per socket before PUB drops (JeroMQ's default is 1000).
     */
    public JeroMqTransport(
        final String transport,
        final String pingEndpoint,
        final String pongEndpoint,
        final String dataEndpoint,
        final int highWaterMark)
    {
        this.transport = transport;
        this.pingEndpoint = pingEndpoint;
        this.pongEndpoint = pongEndpoint;
        this.dataEndpoint = dataEndpoint;
        this.highWaterMark = highWaterMark;
    }

    /** {@inheritDoc} */
    public String system()
    {
        return "JeroMQ PUB/SUB";
    }

    /** {@inheritDoc} */
    public String transport()
    {
        return transport;
    }

    /** {@inheritDoc} */
    public boolean slowPeer()
    {
        return pingEndpoint.startsWith("tcp:");
    }

    /** {@inheritDoc} */
    public void openPingPong(final PayloadHandler onPong)
    {
        this.onPong = onPong;
        pingPub = publisher(pingEndpoint);
        pongPub = publisher(pongEndpoint);
        pingSub = subscriber(pingEndpoint);
        pongSub = subscriber(pongEndpoint);
    }

    /** {@inheritDoc} */
    public boolean offerPing(final DirectBuffer buffer, final int offset, final int length)
    {
        return send(pingPub, mainSend, buffer, offset, length);
    }

    /** {@inheritDoc} */
    public int pollPongs(final int limit)
    {
        return receive(pongSub, mainReceive, mainView, onPong, limit);
    }

    /** {@inheritDoc} */
    public int doEchoWork(final int limit)
    {
        int count = 0;
        while (count < limit)
        {
            echoBuffer.clear();
            final int length = pingSub.recvByteBuffer(echoBuffer, ZMQ.DONTWAIT);
            if (length <= 0)
            {
                break;
            }
            echoDecoder.dispatch(echoView, 0, length, 0);
            echoBuffer.flip();
            pongPub.sendByteBuffer(echoBuffer, 0);
            count++;
        }
        return count;
    }

    /** {@inheritDoc} */
    public void closePingPong()
    {
        pingPub = destroy(pingPub);
        pingSub = destroy(pingSub);
        pongPub = destroy(pongPub);
        pongSub = destroy(pongSub);
    }

    /** {@inheritDoc} */
    public void openThroughput(final PayloadHandler onData)
    {
        this.onData = onData;
        dataPub = publisher(dataEndpoint);
        dataSub = subscriber(dataEndpoint);
    }

    /** {@inheritDoc} */
    public boolean offerData(final DirectBuffer buffer, final int offset, final int length)
    {
        return send(dataPub, mainSend, buffer, offset, length);
    }

    /** {@inheritDoc} */
    public int pollData(final int limit)
    {
        return receive(dataSub, consumerBuffer, consumerView, onData, limit);
    }

    /** {@inheritDoc} */
    public void closeThroughput()
    {
        dataPub = destroy(dataPub);
        dataSub = destroy(dataSub);
    }

    /** {@inheritDoc} */
    public void close()
    {
        closePingPong();
        closeThroughput();
        context.close();
    }

    private ZMQ.Socket publisher(final String endpoint)
    {
        final ZMQ.Socket socket = context.createSocket(SocketType.PUB);
        socket.setLinger(0);
        socket.setSndHWM(highWaterMark);
        if (!socket.bind(endpoint))
        {
            throw new IllegalStateException("cannot bind " + endpoint);
        }
        return socket;
    }

    private ZMQ.Socket subscriber(final String endpoint)
    {
        final ZMQ.Socket socket = context.createSocket(SocketType.SUB);
        socket.setLinger(0);
        socket.setRcvHWM(highWaterMark);
        socket.subscribe(ZMQ.SUBSCRIPTION_ALL);
        if (!socket.connect(endpoint))
        {
            throw new IllegalStateException("cannot connect " + endpoint);
        }
        return socket;
    }

    private ZMQ.Socket destroy(final ZMQ.Socket socket)
    {
        if (null != socket)
        {
            context.destroySocket(socket);
        }
        return null;
    }

    private static boolean send(
        final ZMQ.Socket socket, final ByteBuffer out, final DirectBuffer buffer, final int offset, final int length)
    {
        out.clear();
        buffer.getBytes(offset, out, 0, length);
        out.limit(length);
        return socket.sendByteBuffer(out, ZMQ.DONTWAIT) >= 0;
    }

    private static int receive(
        final ZMQ.Socket socket,
        final ByteBuffer in,
        final UnsafeBuffer view,
        final PayloadHandler handler,
        final int limit)
    {
        int count = 0;
        while (count < limit)
        {
            in.clear();
            final int length = socket.recvByteBuffer(in, ZMQ.DONTWAIT);
            if (length <= 0)
            {
                break;
            }
            handler.onPayload(view, 0, length);
            count++;
        }
        return count;
    }
}
