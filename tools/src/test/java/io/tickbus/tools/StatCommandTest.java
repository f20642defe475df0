package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.aeron.AeronCounters;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.ElectionState;
import io.aeron.cluster.service.Cluster;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.book.BookCounters;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.feed.FeedCounters;
import io.tickbus.sequencer.SequencerCounters;
import io.tickbus.sequencer.SequencerNode;
import io.tickbus.test.EmbeddedDriver;
import io.tickbus.test.TestMessages;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickbus stat} and {@code tickbus completion} in process against a real embedded media driver with a
 * {@link BusPublisher} and two {@link BusSubscriber}s on it, and against a real single-member sequencer cluster.
 * Ports 14100-14119.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StatCommandTest
{
    private static final int STREAM = 1003;
    private static final int MESSAGES = 25;
    private static final int PORT = 14100;
    private static final int CLUSTER_PROMETHEUS_PORT = 14101;
    private static final int SEQUENCER_PORT_BASE = 14110;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private BusPublisher publisher;
    private BusSubscriber subscriber;
    private BusSubscriber secondSubscriber;
    private CliRun run;
    private SequencerNode sequencer;
    private FeedCounters feed;
    private BookCounters book;
    private int received;
    private int secondReceived;
    private long publishedBytes;

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch("cli-stat");
        aeron = driver.aeron();
        subscriber = new BusSubscriber(aeron, "aeron:ipc", STREAM, new MarketDataListener()
        {
            public void onMessage(final org.agrona.DirectBuffer buffer, final int offset, final int length,
                final int templateId, final long position)
            {
                received++;
            }
        });
        secondSubscriber = new BusSubscriber(aeron, "aeron:ipc", STREAM, new MarketDataListener()
        {
            public void onMessage(final org.agrona.DirectBuffer buffer, final int offset, final int length,
                final int templateId, final long position)
            {
                secondReceived++;
            }
        });
        publisher = new BusPublisher(aeron, "aeron:ipc", STREAM);
        CliRun.await("connected", () -> publisher.isConnected() && subscriber.isConnected() &&
            secondSubscriber.isConnected());
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final TestMessages messages = new TestMessages();
        for (int i = 1; i <= MESSAGES; i++)
        {
            final int length = messages.trade(buffer, 1, 1, i, 0);
            assertTrue(publisher.offer(buffer, 0, length) > 0);
            // each message is one unfragmented frame: data header plus payload, padded to the frame alignment
            publishedBytes += BitUtil.align(
                DataHeaderFlyweight.HEADER_LENGTH + length, FrameDescriptor.FRAME_ALIGNMENT);
        }
        CliRun.await("received", () ->
        {
            subscriber.poll(10);
            secondSubscriber.poll(10);
            return received == MESSAGES && secondReceived == MESSAGES;
        });
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(run, feed, book, secondSubscriber, subscriber, publisher, driver, sequencer);
        assertFalse(driver.directoryExists());
    }

    @Test
    void onceShowsTickbusAndDriverCounters()
    {
        final CliRun once = CliRun.run("stat", "--once", "--driver-dir", driver.directory());
        assertEquals(0, once.exitCode(), once.err());
        final String text = once.out();
        assertTrue(text.contains("Tickbus") && text.contains("Media driver") && text.contains("Streams"), text);
        assertTrue(lineWith(text, "tickbus-pub published: channel=aeron:ipc stream=" + STREAM)
            .contains(" " + MESSAGES + " "), text);
        assertTrue(lineWith(text, "tickbus-sub received: channel=aeron:ipc stream=" + STREAM)
            .contains(" " + MESSAGES + " "), text);
        assertTrue(text.contains("Errors"), "driver system counters: " + text);
    }

    @Test
    void streamLineRollsUpPublishersAndSubscribers()
    {
        final CliRun once = CliRun.run("stat", "--once", "--driver-dir", driver.directory());
        assertEquals(0, once.exitCode(), once.err());
        final String text = once.out();
        final String[] line = streamLine(text, "aeron:ipc", STREAM);
        assertEquals(1, Integer.parseInt(line[1]), "publishers: " + text);
        assertEquals(2, Integer.parseInt(line[2]), "subscribers: " + text);
        assertEquals(MESSAGES, number(line[3]), "published: " + text);
        assertEquals("-", line[4], "no rate on the first refresh");
        assertEquals(2L * MESSAGES, number(line[5]), "received by both subscribers: " + text);
        assertEquals(publishedBytes, number(line[7]), "bytes: " + text);
        assertEquals(0, number(line[9]), "back-pressure");
        assertEquals(0, number(line[10]), "drops");
        assertEquals(0, number(line[11]), "malformed");
        assertEquals(0, number(line[12]), "gaps");
        assertEquals(0, number(line[13]), "repeats");
        assertFalse(text.contains(System.lineSeparator() + "Cluster" + System.lineSeparator()), "no cluster here");
    }

    @Test
    void streamLineShowsSubscriberGapsAndRepeatsOfASequencedStream()
    {
        final int stream = STREAM + 1;
        final long[] delivered = {0};
        try (BusPublisher sequencedPublisher = new BusPublisher(aeron, "aeron:ipc", stream);
            BusSubscriber sequencedSubscriber = new BusSubscriber(aeron, "aeron:ipc", stream, new MarketDataListener()
            {
                public void onMessage(final org.agrona.DirectBuffer buffer, final int offset, final int length,
                    final int templateId, final long position)
                {
                    delivered[0]++;
                }
            }))
        {
            CliRun.await("connected", () -> sequencedPublisher.isConnected() && sequencedSubscriber.isConnected());
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
            final TestMessages messages = new TestMessages();
            // global sequences 1, 2, 3, then 6 (a gap over 4..5), 7, 7 again (a repeat), 8, then 11 (a gap over 9..10)
            final long[] globalSeqs = {1, 2, 3, 6, 7, 7, 8, 11};
            for (int i = 0; i < globalSeqs.length; i++)
            {
                final int length = messages.trade(buffer, 1, 1, i + 1, globalSeqs[i]);
                assertTrue(sequencedPublisher.offer(buffer, 0, length) > 0);
            }
            CliRun.await("delivered", () ->
            {
                sequencedSubscriber.poll(10);
                return 7 == delivered[0];
            });

            final CliRun once = CliRun.run("stat", "--once", "--driver-dir", driver.directory());
            assertEquals(0, once.exitCode(), once.err());
            final String[] line = streamLine(once.out(), "aeron:ipc", stream);
            assertEquals(globalSeqs.length, number(line[3]), "published: " + once.out());
            assertEquals(7, number(line[5]), "received, the repeat dropped: " + once.out());
            assertEquals(2, number(line[12]), "gaps: " + once.out());
            assertEquals(1, number(line[13]), "repeats: " + once.out());
        }
    }

    @Test
    void clusterAndArchiveSectionsOfASequencer() throws Exception
    {
        sequencer = SequencerNode.launchEmbedded("cli-stat-seq", SEQUENCER_PORT_BASE);
        CliRun.await("leader", () -> Cluster.Role.LEADER == sequencer.role());
        // read the member's counters through an Aeron client of its own driver, to wait for the election to close
        // and the new term to be committed before looking
        try (Aeron member = Aeron.connect(new Aeron.Context().aeronDirectoryName(sequencer.aeronDirectoryName())))
        {
            CliRun.await("election closed", () -> ElectionState.CLOSED.code() ==
                SequencerCounters.value(member.countersReader(), AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID));
            CliRun.await("commit", () ->
                SequencerCounters.value(member.countersReader(), AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID) > 0);
        }
        CliRun.await("sequencer counters", () -> sequencer.counter(SequencerCounters.SEQUENCED) >= 0);

        final CliRun once = CliRun.run("stat", "--once", "--driver-dir", sequencer.aeronDirectoryName());
        assertEquals(0, once.exitCode(), once.err());
        final String text = once.out();
        final String[] cluster = sectionLine(text, "Cluster", 0);
        assertEquals("0", cluster[0], text);
        assertEquals("LEADER", cluster[1], text);
        assertTrue(number(cluster[2]) > 0, "the election appended to the log: " + text);
        assertEquals("CLOSED", cluster[4], "election over: " + text);
        assertEquals("ACTIVE", cluster[5], text);
        assertTrue(lineWith(text, "tickbus-seq sequenced: member=").length() > 0, text);

        // the consensus module records its log in the member's archive, and the member records its own output
        final String[] first = sectionLine(text, "Archive", 0);
        final String[] second = sectionLine(text, "Archive", 1);
        final String[] log = Integer.parseInt(first[1]) == ConsensusModule.Configuration.LOG_STREAM_ID_DEFAULT ?
            first : second;
        final String[] output = log == first ? second : first;
        assertEquals(ConsensusModule.Configuration.LOG_STREAM_ID_DEFAULT, Integer.parseInt(log[1]), text);
        assertTrue(number(log[2]) > 0, text);
        assertEquals(sequencer.sequencedStreamId(), Integer.parseInt(output[1]), "output recorded: " + text);

        run = CliRun.start("stat", "--driver-dir", sequencer.aeronDirectoryName(), "--prometheus",
            Integer.toString(CLUSTER_PROMETHEUS_PORT), "--quiet", "--duration", "60s");
        CliRun.await("endpoint", () -> run.out().contains("serving Prometheus") || run.isDone());
        assertFalse(run.isDone(), run.err());
        final String body = get("http://127.0.0.1:" + CLUSTER_PROMETHEUS_PORT + "/metrics");
        assertTrue(body.contains("tickbus_cluster_role{cluster_id=\"0\"} " + Cluster.Role.LEADER.code() + "\n"), body);
        assertTrue(Pattern.compile("(?m)^tickbus_cluster_commit_position_bytes\\{cluster_id=\"0\"} [1-9]\\d*$")
            .matcher(body).find(), body);
        assertTrue(body.contains("tickbus_cluster_election_state{cluster_id=\"0\"} " + ElectionState.CLOSED.code() +
            "\n"), body);
        assertTrue(Pattern.compile("(?m)^tickbus_archive_recording_position_bytes\\{channel=\"[^\"]*\",stream=\"" +
            ConsensusModule.Configuration.LOG_STREAM_ID_DEFAULT + "\"} [1-9]\\d*$").matcher(body).find(), body);
        assertTrue(body.contains("tickbus_archive_recordings{"), body);
        assertFalse(body.contains("session-id="), "no session ids in labels: " + body);
        assertTrue(body.contains("# TYPE tickbus_sequencer_sequenced_total counter"), body);
        assertTrue(body.contains("# TYPE tickbus_sequencer_global_seq gauge"), body);
        assertFalse(body.contains("tickbus_counter{"), "every Tickbus counter has a name: " + body);
        assertSampleLines(body);
    }

    @Test
    void filterKeepsMatchingLabels()
    {
        final CliRun once = CliRun.run("stat", "--once", "--filter", "tickbus-sub", "--driver-dir",
            driver.directory());
        assertEquals(0, once.exitCode(), once.err());
        assertTrue(once.out().contains("tickbus-sub received"), once.out());
        assertFalse(once.out().contains("tickbus-pub published"), once.out());
    }

    @Test
    void usageAndRuntimeErrors()
    {
        final CliRun help = CliRun.run("stat", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("--prometheus") && help.out().contains("Examples:"), help.out());

        SubscribeCommandTest.assertUsageError("port out of range", "stat", "--prometheus", "70000",
            "--driver-dir", driver.directory());
        SubscribeCommandTest.assertUsageError("not a regular expression", "stat", "--filter", "(", "--once",
            "--driver-dir", driver.directory());

        final CliRun none = CliRun.run("stat", "--once", "--driver-dir", TickbusDriver.uniqueEmbeddedDir("none"));
        assertEquals(1, none.exitCode());
        assertTrue(none.err().contains("no media driver"), none.err());
    }

    @Test
    void prometheusAnswersOnLoopbackWithMetricNames() throws Exception
    {
        feed = new FeedCounters(aeron, "stat test feed", (ex) -> {});
        feed.onGap(7, 9);
        book = BookCounters.allocate(aeron, "stat test book");
        run = CliRun.start("stat", "--driver-dir", driver.directory(), "--prometheus",
            Integer.toString(PORT), "--quiet", "--duration", "60s");
        CliRun.await("endpoint", () -> run.out().contains("serving Prometheus") || run.isDone());
        assertFalse(run.isDone(), run.err());
        assertTrue(run.out().contains("http://127.0.0.1:" + PORT + "/metrics"), run.out());

        final String body = get("http://127.0.0.1:" + PORT + "/metrics");
        assertTrue(body.contains("# TYPE tickbus_publisher_published_total counter"), body);
        final String stream = "{channel=\"aeron:ipc\",stream=\"" + STREAM + "\"} ";
        assertTrue(body.contains("tickbus_stream_publishers" + stream + 1 + "\n"), body);
        assertTrue(body.contains("tickbus_stream_subscribers" + stream + 2 + "\n"), body);
        assertTrue(body.contains("tickbus_stream_published_total" + stream + MESSAGES + "\n"), body);
        assertTrue(body.contains("tickbus_stream_received_total" + stream + 2 * MESSAGES + "\n"), body);
        assertTrue(body.contains("tickbus_stream_bytes_total" + stream + publishedBytes + "\n"), body);
        assertTrue(body.contains("tickbus_stream_gaps_total" + stream + 0 + "\n"), body);
        assertTrue(body.contains("tickbus_stream_repeats_total" + stream + 0 + "\n"), body);
        assertTrue(Pattern.compile("(?m)^tickbus_feed_gaps_total\\{[^}]*feed=\"stat test feed\"[^}]*} 1$")
            .matcher(body).find(), body);
        assertTrue(body.contains("\ntickbus_book_invalid_total 0\n"), body);
        assertFalse(body.contains("tickbus_counter{"), "every Tickbus counter has a name: " + body);
        final Matcher published = Pattern.compile(
            "(?m)^tickbus_publisher_published_total\\{[^}]*channel=\"aeron:ipc\",stream=\"" + STREAM + "\"[^}]*} (\\d+)$")
            .matcher(body);
        assertTrue(published.find(), body);
        assertEquals(MESSAGES, Long.parseLong(published.group(1)));
        // the two subscribers' counters share channel and stream: one series, their sum
        final Matcher receivedMetric = Pattern.compile(
            "(?m)^tickbus_subscriber_received_total\\{[^}]*} (\\d+)$").matcher(body);
        assertTrue(receivedMetric.find(), body);
        assertEquals(2L * MESSAGES, Long.parseLong(receivedMetric.group(1)));
        assertFalse(receivedMetric.find(), "one series: " + body);
        assertTrue(body.contains("\naeron_driver_errors_total 0\n"), body);
        assertTrue(body.contains("aeron_publisher_position_bytes{channel=\"aeron:ipc\",stream=\"" + STREAM + "\"} " +
            publishedBytes + "\n"), body);
        assertTrue(body.contains("\naeron_clients{name=\""), body);
        assertTrue(body.contains("tickbus_driver_heartbeat_age_seconds "), body);
        assertSampleLines(body);
    }

    @Test
    void completionScriptNamesTheCommands()
    {
        final CliRun completion = CliRun.run("completion");
        assertEquals(0, completion.exitCode(), completion.err());
        final String script = completion.out();
        assertTrue(script.contains("complete") && script.contains("tickbus"), script);
        for (final String command : new String[]{"subscribe", "latency", "stat", "driver"})
        {
            assertTrue(script.contains(command), command);
        }
        assertTrue(script.contains("--pingpong"), "options of subcommands");
    }

    private static void assertSampleLines(final String body)
    {
        // every sample line is NAME{labels} VALUE, under a family with HELP and TYPE, each label set once
        final java.util.Set<String> help = new java.util.HashSet<>();
        final java.util.Set<String> type = new java.util.HashSet<>();
        final java.util.Set<String> series = new java.util.HashSet<>();
        for (final String line : body.split("\n"))
        {
            if (line.startsWith("# HELP "))
            {
                help.add(line.split(" ")[2]);
            }
            else if (line.startsWith("# TYPE "))
            {
                type.add(line.split(" ")[2]);
            }
            else
            {
                assertTrue(line.matches("[a-z_][a-z0-9_]*(\\{.*})? -?\\d+(\\.\\d+)?(E-?\\d+)?"), line);
                final String name = line.split("[{ ]")[0];
                assertTrue(help.contains(name) && type.contains(name), "HELP and TYPE before " + line);
                assertTrue(series.add(line.substring(0, line.lastIndexOf(' '))), "one sample per series: " + line);
                assertFalse(line.contains("id=\"") && !line.contains("cluster_id=") && !line.contains("type_id="),
                    "no counter ids in labels: " + line);
            }
        }
    }

    /**
     * @return the whitespace-separated columns of the Streams line for a channel and stream.
     */
    private static String[] streamLine(final String text, final String channel, final int streamId)
    {
        for (int i = 0; ; i++)
        {
            final String[] columns = sectionLine(text, "Streams", i);
            if (columns[columns.length - 1].equals(channel) && columns[0].equals(Integer.toString(streamId)))
            {
                return columns;
            }
        }
    }

    /**
     * @return the columns of the index-th data line (after the column titles) of a section.
     */
    private static String[] sectionLine(final String text, final String title, final int index)
    {
        final List<String> lines = text.lines().toList();
        final int heading = lines.indexOf(title);
        assertTrue(heading >= 0, "no section " + title + " in\n" + text);
        final String line = lines.get(heading + 2 + index);
        assertFalse(line.isBlank(), "section " + title + " has no line " + index + " in\n" + text);
        return line.trim().split("\\s+");
    }

    private static long number(final String column)
    {
        return Long.parseLong(column.replace(",", ""));
    }

    private static String lineWith(final String text, final String needle)
    {
        return text.lines().filter((l) -> l.contains(needle)).findFirst()
            .orElseThrow(() -> new AssertionError("no line with " + needle + " in\n" + text));
    }

    private static String get(final String url) throws IOException
    {
        final HttpURLConnection connection = (HttpURLConnection)new URL(url).openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        try
        {
            assertEquals(200, connection.getResponseCode());
            assertTrue(connection.getContentType().startsWith("text/plain"), connection.getContentType());
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        finally
        {
            connection.disconnect();
        }
    }
}
