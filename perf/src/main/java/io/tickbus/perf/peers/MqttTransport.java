package io.tickbus.perf.peers;

import io.tickbus.client.MessageDispatcher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.BiConsumer;

/**
 * MQTT 3.1.1 at QoS 0 (at most once) through a mosquitto broker on 127.0.0.1, with the Eclipse Paho asynchronous
 * client: each side has its own connection and receives on the client's callback thread; Nagle's algorithm is off on
 * the client's sockets (and on the broker's, by the script).
 * <p>
 * Threading: publishes from the harness's threads; deliveries on Paho's callback threads. Paho allocates a message
 * object and a byte array per publish and per delivery.
 */
public final class MqttTransport implements PeerTransport
{
    private static final long TIMEOUT_MS = 5_000;
    private static final int MAX_INFLIGHT = 65_535;
    private static final SocketFactory NO_DELAY = new NoDelaySocketFactory();

    private final String url;
    private final String topicPrefix;
    private final MessageDispatcher echoDecoder = Workload.echoDecoder();
    private MqttAsyncClient pinger;
    private MqttAsyncClient echo;
    private MqttAsyncClient producer;
    private MqttAsyncClient consumer;
    private String pingTopic;
    private String dataTopic;
    private int caseNumber;

    /**
     * @param url of the broker, e.g. tcp://127.0.0.1:29200.
     * @param topicPrefix prefix of the topics used.
     */
    public MqttTransport(final String url, final String topicPrefix)
    {
        this.url = url;
        this.topicPrefix = topicPrefix;
    }

    /** {@inheritDoc} */
    public String system()
    {
        return "MQTT QoS 0";
    }

    /** {@inheritDoc} */
    public String transport()
    {
        return "tcp via mosquitto 127.0.0.1";
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
        pingTopic = topicPrefix + "/ping/" + caseNumber;
        final String pongTopic = topicPrefix + "/pong/" + caseNumber;
        final UnsafeBuffer echoView = new UnsafeBuffer(new byte[0]);
        echo = connect("tb-echo-" + caseNumber, (topic, message) ->
        {
            final byte[] data = message.getPayload();
            echoView.wrap(data);
            echoDecoder.dispatch(echoView, 0, data.length, 0);
            final long deadline = System.nanoTime() + 1_000_000_000L;
            while (!publish(echo, pongTopic, data) && System.nanoTime() < deadline)
            {
                Thread.yield();
            }
        });
        echo.subscribe(pingTopic, 0).waitForCompletion(TIMEOUT_MS);
        final UnsafeBuffer pongView = new UnsafeBuffer(new byte[0]);
        pinger = connect("tb-pinger-" + caseNumber, (topic, message) ->
        {
            final byte[] data = message.getPayload();
            pongView.wrap(data);
            onPong.onPayload(pongView, 0, data.length);
        });
        pinger.subscribe(pongTopic, 0).waitForCompletion(TIMEOUT_MS);
    }

    /** {@inheritDoc} */
    public boolean offerPing(final DirectBuffer buffer, final int offset, final int length)
    {
        return publish(pinger, pingTopic, copy(buffer, offset, length));
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
        dataTopic = topicPrefix + "/data/" + caseNumber;
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        consumer = connect("tb-consumer-" + caseNumber, (topic, message) ->
        {
            final byte[] data = message.getPayload();
            view.wrap(data);
            onData.onPayload(view, 0, data.length);
        });
        consumer.subscribe(dataTopic, 0).waitForCompletion(TIMEOUT_MS);
        producer = connect("tb-producer-" + caseNumber, (topic, message) -> {});
    }

    /** {@inheritDoc} */
    public boolean offerData(final DirectBuffer buffer, final int offset, final int length)
    {
        return publish(producer, dataTopic, copy(buffer, offset, length));
    }

    /** {@inheritDoc} */
    public int pollData(final int limit)
    {
        return 0;
    }

    /** {@inheritDoc} */
    public void closeThroughput()
    {
        producer = close(producer);
        consumer = close(consumer);
    }

    /** {@inheritDoc} */
    public void close()
    {
        closePingPong();
        closeThroughput();
    }

    private MqttAsyncClient connect(final String clientId, final BiConsumer<String, MqttMessage> onMessage)
        throws MqttException
    {
        final MqttAsyncClient client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback()
        {
            public void connectionLost(final Throwable cause)
            {
                System.err.println("MQTT connection lost (" + clientId + "): " + cause);
            }

            public void messageArrived(final String topic, final MqttMessage message)
            {
                onMessage.accept(topic, message);
            }

            public void deliveryComplete(final IMqttDeliveryToken token)
            {
            }
        });
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setMaxInflight(MAX_INFLIGHT);
        options.setConnectionTimeout((int)(TIMEOUT_MS / 1000));
        options.setSocketFactory(NO_DELAY);
        client.connect(options).waitForCompletion(TIMEOUT_MS);
        return client;
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] data = new byte[length];
        buffer.getBytes(offset, data);
        return data;
    }

    private boolean publish(final MqttAsyncClient client, final String topic, final byte[] data)
    {
        try
        {
            client.publish(topic, data, 0, false);
            return true;
        }
        catch (final MqttException ex)
        {
            if (MqttException.REASON_CODE_MAX_INFLIGHT == ex.getReasonCode())
            {
                return false;
            }
            throw new IllegalStateException("MQTT publish failed: " + ex.getMessage(), ex);
        }
    }

    /**
     * Paho leaves Nagle's algorithm on; a latency-minded user turns it off, as every other peer here does (the broker
     * gets {@code set_tcp_nodelay true} from the script).
     */
    private static final class NoDelaySocketFactory extends SocketFactory
    {
        public Socket createSocket() throws IOException
        {
            final Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        public Socket createSocket(final String host, final int port) throws IOException
        {
            return noDelay(new Socket(host, port));
        }

        public Socket createSocket(
            final String host, final int port, final InetAddress localHost, final int localPort) throws IOException
        {
            return noDelay(new Socket(host, port, localHost, localPort));
        }

        public Socket createSocket(final InetAddress host, final int port) throws IOException
        {
            return noDelay(new Socket(host, port));
        }

        public Socket createSocket(
            final InetAddress address, final int port, final InetAddress localAddress, final int localPort)
            throws IOException
        {
            return noDelay(new Socket(address, port, localAddress, localPort));
        }

        private static Socket noDelay(final Socket socket) throws IOException
        {
            socket.setTcpNoDelay(true);
            return socket;
        }
    }

    private static MqttAsyncClient close(final MqttAsyncClient client)
    {
        if (null != client)
        {
            try
            {
                client.disconnectForcibly(1_000);
                client.close(true);
            }
            catch (final MqttException ex)
            {
                System.err.println("MQTT close: " + ex.getMessage());
            }
        }
        return null;
    }
}
