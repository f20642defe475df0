package io.tickbus.perf.peers;

import io.tickbus.client.MessageDispatcher;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Apache Kafka through a single KRaft broker on 127.0.0.1 (one partition, replication factor 1), tuned for latency
 * as a user would for market data: {@code linger.ms=0}, {@code acks=1}; consumers are assigned the partition (no
 * group) and read from the start so that nothing sent before they are ready is missed.
 * <p>
 * Threading: each producer and consumer is used by one thread (ping producer and pong consumer by the main thread,
 * ping consumer and pong producer by the echo thread, data consumer by the consumer thread). The client allocates
 * a record and a byte array per message.
 */
public final class KafkaTransport implements PeerTransport
{
    private static final Duration ECHO_POLL = Duration.ofMillis(1);

    private final String bootstrap;
    private final String topicPrefix;
    private final MessageDispatcher echoDecoder = Workload.echoDecoder();
    private final UnsafeBuffer mainView = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer echoView = new UnsafeBuffer(new byte[0]);
    private final UnsafeBuffer consumerView = new UnsafeBuffer(new byte[0]);
    private int caseNumber;
    private String pingTopic;
    private String pongTopic;
    private String dataTopic;
    private KafkaProducer<byte[], byte[]> pingProducer;
    private KafkaConsumer<byte[], byte[]> pongConsumer;
    private KafkaConsumer<byte[], byte[]> pingConsumer;
    private KafkaProducer<byte[], byte[]> pongProducer;
    private KafkaProducer<byte[], byte[]> dataProducer;
    private KafkaConsumer<byte[], byte[]> dataConsumer;
    private PayloadHandler onPong;
    private PayloadHandler onData;

    /**
     * @param bootstrap the broker, e.g. 127.0.0.1:39400.
     * @param topicPrefix prefix of the topics made.
     */
    public KafkaTransport(final String bootstrap, final String topicPrefix)
    {
        this.bootstrap = bootstrap;
        this.topicPrefix = topicPrefix;
    }

    /** {@inheritDoc} */
    public String system()
    {
        return "Kafka KRaft";
    }

    /** {@inheritDoc} */
    public String transport()
    {
        return "tcp via broker 127.0.0.1";
    }

    /** {@inheritDoc} */
    public boolean slowPeer()
    {
        return true;
    }

    /** {@inheritDoc} */
    public void openPingPong(final PayloadHandler onPong) throws Exception
    {
        this.onPong = onPong;
        caseNumber++;
        pingTopic = topicPrefix + "-ping-" + caseNumber;
        pongTopic = topicPrefix + "-pong-" + caseNumber;
        createTopics(pingTopic, pongTopic);
        pingProducer = producer();
        pongProducer = producer();
        pongConsumer = consumer(pongTopic);
        pingConsumer = consumer(pingTopic);
    }

    /** {@inheritDoc} */
    public boolean offerPing(final DirectBuffer buffer, final int offset, final int length)
    {
        pingProducer.send(new ProducerRecord<>(pingTopic, copy(buffer, offset, length)));
        return true;
    }

    /** {@inheritDoc} */
    public int pollPongs(final int limit)
    {
        return deliver(pongConsumer, Duration.ZERO, mainView, onPong);
    }

    /** {@inheritDoc} */
    public int doEchoWork(final int limit)
    {
        int count = 0;
        for (final ConsumerRecord<byte[], byte[]> record : pingConsumer.poll(ECHO_POLL))
        {
            final byte[] data = record.value();
            echoView.wrap(data);
            echoDecoder.dispatch(echoView, 0, data.length, 0);
            pongProducer.send(new ProducerRecord<>(pongTopic, data));
            count++;
        }
        return count;
    }

    /** {@inheritDoc} */
    public void closePingPong()
    {
        close(pingProducer);
        close(pongProducer);
        close(pongConsumer);
        close(pingConsumer);
        pingProducer = null;
        pongProducer = null;
        pongConsumer = null;
        pingConsumer = null;
    }

    /** {@inheritDoc} */
    public void openThroughput(final PayloadHandler onData) throws Exception
    {
        this.onData = onData;
        caseNumber++;
        dataTopic = topicPrefix + "-data-" + caseNumber;
        createTopics(dataTopic);
        dataProducer = producer();
        dataConsumer = consumer(dataTopic);
    }

    /** {@inheritDoc} */
    public boolean offerData(final DirectBuffer buffer, final int offset, final int length)
    {
        dataProducer.send(new ProducerRecord<>(dataTopic, copy(buffer, offset, length)));
        return true;
    }

    /** {@inheritDoc} */
    public int pollData(final int limit)
    {
        return deliver(dataConsumer, ECHO_POLL, consumerView, onData);
    }

    /** {@inheritDoc} */
    public void closeThroughput()
    {
        close(dataProducer);
        close(dataConsumer);
        dataProducer = null;
        dataConsumer = null;
    }

    /** {@inheritDoc} */
    public void close()
    {
        closePingPong();
        closeThroughput();
    }

    private void createTopics(final String... names) throws Exception
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props))
        {
            final List<NewTopic> topics = new ArrayList<>();
            for (final String name : names)
            {
                topics.add(new NewTopic(name, 1, (short)1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
    }

    private KafkaProducer<byte[], byte[]> producer()
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<byte[], byte[]> consumer(final String topic)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        final KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        final TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        return consumer;
    }

    private static int deliver(
        final KafkaConsumer<byte[], byte[]> consumer,
        final Duration timeout,
        final UnsafeBuffer view,
        final PayloadHandler handler)
    {
        int count = 0;
        for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(timeout))
        {
            final byte[] data = record.value();
            view.wrap(data);
            handler.onPayload(view, 0, data.length);
            count++;
        }
        return count;
    }

    private static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] data = new byte[length];
        buffer.getBytes(offset, data);
        return data;
    }

    private static void close(final AutoCloseable closeable)
    {
        if (null != closeable)
        {
            try
            {
                closeable.close();
            }
            catch (final Exception ex)
            {
                System.err.println("Kafka close: " + ex);
            }
        }
    }
}
