package io.tickbus.perf.peers;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.tickbus.client.MessageDispatcher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;

/**
 * NATS Core (no JetStream, so unreplicated and not durable) through a nats-server on 127.0.0.1, with the official
 * Java client: each side has its own connection, as separate processes would, and receives on a Dispatcher thread.
 * <p>
 * Threading: publishes from the harness's threads; deliveries on the client's dispatcher threads. The client
 * allocates a message object and a byte array per publish and per delivery (its API takes and gives byte arrays).
 */
public final class NatsTransport implements PeerTransport
{
    private final String url;
    private final String subjectPrefix;
    private final MessageDispatcher echoDecoder = Workload.echoDecoder();
    private Connection pinger;
    private Connection echo;
    private Connection producer;
    private Connection consumer;
    private Dispatcher dataDispatcher;
    private int caseNumber;
    private String pingSubject;
    private String dataSubject;

    /**
     * @param url of the server, e.g. nats://127.0.0.1:29100.
     * @param subjectPrefix prefix of the subjects used.
     */
    public NatsTransport(final String url, final String subjectPrefix)
    {
        this.url = url;
        this.subjectPrefix = subjectPrefix;
    }

    /** {@inheritDoc} */
    public String system()
    {
        return "NATS Core";
    }

    /** {@inheritDoc} */
    public String transport()
    {
        return "tcp via nats-server 127.0.0.1";
    }

    /** {@inheritDoc} */
    public boolean slowPeer()
    {
        return true;
    }

    /** {@inheritDoc} */
    public boolean polled()
    {
        return false;
    }

    /** {@inheritDoc} */
    public void openPingPong(final PayloadHandler onPong) throws Exception
    {
        caseNumber++;
        final String ping = subjectPrefix + ".ping." + caseNumber;
        final String pong = subjectPrefix + ".pong." + caseNumber;
        pinger = connect("tickbus-pinger");
        echo = connect("tickbus-echo");
        final Connection echoConnection = echo;
        final UnsafeBuffer echoView = new UnsafeBuffer(new byte[0]);
        echo.createDispatcher(msg ->
        {
            final byte[] data = msg.getData();
            echoView.wrap(data);
            echoDecoder.dispatch(echoView, 0, data.length, 0);
            echoConnection.publish(pong, data);
        }).subscribe(ping);
        final UnsafeBuffer pongView = new UnsafeBuffer(new byte[0]);
        pinger.createDispatcher(msg ->
        {
            final byte[] data = msg.getData();
            pongView.wrap(data);
            onPong.onPayload(pongView, 0, data.length);
        }).subscribe(pong);
        pinger.flush(Duration.ofSeconds(5));
        echo.flush(Duration.ofSeconds(5));
        pingSubject = ping;
    }

    /** {@inheritDoc} */
    public boolean offerPing(final DirectBuffer buffer, final int offset, final int length)
    {
        return publish(pinger, pingSubject, buffer, offset, length);
    }

    /** {@inheritDoc} */
    public int pollPongs(final int limit)
    {
        return 0;
    }

    /** {@inheritDoc} */
    public int doEchoWork(final int limit)
    {
        return 0;
    }

    /** {@inheritDoc} */
    public void closePingPong()
    {
        pinger = close(pinger);
        echo = close(echo);
    }

    /** {@inheritDoc} */
    public void openThroughput(final PayloadHandler onData) throws Exception
    {
        caseNumber++;
        dataSubject = subjectPrefix + ".data." + caseNumber;
        producer = connect("tickbus-producer");
        consumer = connect("tickbus-consumer");
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        dataDispatcher = consumer.createDispatcher(msg ->
        {
            final byte[] data = msg.getData();
            view.wrap(data);
            onData.onPayload(view, 0, data.length);
        });
        dataDispatcher.subscribe(dataSubject);
        consumer.flush(Duration.ofSeconds(5));
    }

    /** {@inheritDoc} */
    public boolean offerData(final DirectBuffer buffer, final int offset, final int length)
    {
        return publish(producer, dataSubject, buffer, offset, length);
    }

    /** {@inheritDoc} */
    public int pollData(final int limit)
    {
        return 0;
    }

    /** {@inheritDoc} */
    public long reportedDrops()
    {
        return null == dataDispatcher ? -1 : dataDispatcher.getDroppedCount();
    }

    /** {@inheritDoc} */
    public void closeThroughput()
    {
        producer = close(producer);
        consumer = close(consumer);
        dataDispatcher = null;
    }

    /** {@inheritDoc} */
    public void close()
    {
        closePingPong();
        closeThroughput();
    }

    private Connection connect(final String name) throws Exception
    {
        return Nats.connect(new Options.Builder()
            .server(url)
            .connectionName(name)
            .noReconnect()
            .connectionTimeout(Duration.ofSeconds(5))
            .build());
    }

    private static boolean publish(
        final Connection connection, final String subject, final DirectBuffer buffer, final int offset,
        final int length)
    {
        final byte[] data = new byte[length];
        buffer.getBytes(offset, data);
        try
        {
            connection.publish(subject, data);
            return true;
        }
        catch (final IllegalStateException ex)
        {
            return false;
        }
    }

    private static Connection close(final Connection connection)
    {
        if (null != connection)
        {
            try
            {
                connection.close();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }
}
