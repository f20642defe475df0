package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.archive.ArchiveDirectory;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.feed.FeedCounters;
import io.tickbus.tools.stat.PrometheusMetric;
import io.tickbus.tools.stat.PrometheusMetrics;
import io.tickbus.test.EmbeddedDriver;
import io.tickbus.test.TestMessages;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code tickbus stat --prometheus} as Prometheus users meet it, on a real bus (an embedded media driver, a
 * {@link BusPublisher}, a {@link BusSubscriber}, a feed handler's counters and {@code tickbus archive} recording the
 * stream): {@code promtool check metrics} on a real scrape, a real Prometheus server scraping it and answering a
 * query with the value the bus counted, and the Grafana dashboard's queries and the alerting rules of
 * {@code docs/grafana} checked with {@code promtool} and against that server.
 * <p>
 * Needs Debian's {@code prometheus} package ({@code promtool}, {@code /usr/bin/prometheus}; {@code .ci/run} installs
 * it); each test that needs one of them is skipped with a message where it is missing. Ports 15330-15339.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusEcosystemTest
{
    private static final int STREAM = 1007;
    private static final int MESSAGES = 137;
    private static final int STAT_PORT = 15330;
    private static final int PROMETHEUS_PORT = 15331;
    private static final int ARCHIVE_CONTROL_PORT = 15332;
    private static final Path GRAFANA = Paths.get("..", "docs", "grafana");
    private static final String PROMTOOL = "promtool";
    private static final String PROMETHEUS = "/usr/bin/prometheus";
    private static final Pattern METRIC_NAME = Pattern.compile("\\b((?:tickbus|aeron)_[a-z0-9_]+)\\b");

    private EmbeddedDriver driver;
    private Aeron aeron;
    private BusPublisher publisher;
    private BusSubscriber subscriber;
    private FeedCounters feed;
    private CliRun archive;
    private CliRun stat;
    private Path tempDir;
    private int received;

    @BeforeAll
    void startBus() throws Exception
    {
        tempDir = Files.createTempDirectory("tickbus-prometheus-test");
        driver = EmbeddedDriver.launch("prom-eco");
        aeron = driver.aeron();
        final Path archiveDir = tempDir.resolve("archive");
        archive = CliRun.start("archive", "--dir", archiveDir.toString(), "--driver-dir", driver.directory(),
            "--control-channel", "aeron:udp?endpoint=127.0.0.1:" + ARCHIVE_CONTROL_PORT,
            "--record", "aeron:ipc:" + STREAM);
        CliRun.await("archive running", () -> Files.exists(archiveDir.resolve(ArchiveDirectory.INFO_FILE)) ||
            archive.isDone());
        assertFalse(archive.isDone(), archive.err());

        subscriber = new BusSubscriber(aeron, "aeron:ipc", STREAM, new MarketDataListener()
        {
            public void onMessage(final DirectBuffer buffer, final int offset, final int length,
                final int templateId, final long position)
            {
                received++;
            }
        });
        publisher = new BusPublisher(aeron, "aeron:ipc", STREAM);
        feed = new FeedCounters(aeron, "eco feed", (ex) -> {});
        feed.onGap(3, 5);
        CliRun.await("connected and recorded", () -> publisher.isConnected() && subscriber.isConnected() &&
            recordingStarted());
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final TestMessages messages = new TestMessages();
        for (int i = 1; i <= MESSAGES; i++)
        {
            final int length = messages.trade(buffer, 1, 1, i, 0);
            assertTrue(publisher.offer(buffer, 0, length) > 0);
        }
        CliRun.await("received", () ->
        {
            subscriber.poll(50);
            return MESSAGES == received;
        });

        stat = CliRun.start("stat", "--driver-dir", driver.directory(), "--prometheus",
            Integer.toString(STAT_PORT), "--quiet", "--duration", "150s");
        CliRun.await("endpoint", () -> stat.out().contains("serving Prometheus") || stat.isDone());
        assertFalse(stat.isDone(), stat.err());
    }

    @AfterAll
    void stopBus() throws IOException
    {
        final String dir = null == driver ? null : driver.directory();
        ArchiveCommand.requestStopAll();
        CloseHelper.closeAll(stat, archive, feed, subscriber, publisher, driver);
        deleteRecursively(tempDir);
        if (null != dir)
        {
            assertFalse(new File(dir).exists(), dir);
        }
    }

    @Test
    void promtoolFindsNothingInARealScrape() throws Exception
    {
        assumeTrue(onPath(PROMTOOL), "promtool not installed (Debian package prometheus; .ci/run installs it)");
        final String body = get("http://127.0.0.1:" + STAT_PORT + "/metrics");
        assertTrue(body.contains("tickbus_stream_published_total{channel=\"aeron:ipc\",stream=\"" + STREAM + "\"} " +
            MESSAGES + "\n"), body);
        assertTrue(body.contains("tickbus_archive_recordings{channel=\"aeron:ipc\",stream=\"" + STREAM + "\"} 1\n"),
            body);
        assertTrue(body.contains("tickbus_feed_gaps_total{feed=\"eco feed\"} 1\n"), body);
        assertTrue(body.contains("\naeron_archive_recording_sessions 1\n"), body);
        final Path file = tempDir.resolve("scrape.txt");
        Files.writeString(file, body);
        final Result check = exec(tempDir, List.of(PROMTOOL, "check", "metrics"), file);
        assertEquals(0, check.exitCode, check.output + "\n" + body);
        assertEquals("", check.output.trim(), "promtool check metrics reports nothing\n" + body);
    }

    @Test
    void prometheusScrapesTheEndpointAndAnswersAQuery() throws Exception
    {
        assumeTrue(new File(PROMETHEUS).canExecute(), PROMETHEUS + " not installed (Debian package prometheus)");
        final Path dir = Files.createDirectories(tempDir.resolve("prometheus"));
        Files.copy(GRAFANA.resolve("alerts.yml"), dir.resolve("alerts.yml"));
        Files.writeString(dir.resolve("prometheus.yml"), String.join("\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "rule_files:",
            "  - alerts.yml",
            "scrape_configs:",
            "  - job_name: tickbus",
            "    static_configs:",
            "      - targets: ['127.0.0.1:" + STAT_PORT + "']",
            ""));
        final Process server = new ProcessBuilder(PROMETHEUS,
            "--config.file=" + dir.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + dir.resolve("data"),
            "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT,
            "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
        try
        {
            final String api = "http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/";
            final String query = "tickbus_stream_published_total{job=\"tickbus\",channel=\"aeron:ipc\",stream=\"" +
                STREAM + "\"}";
            final String answer = awaitQuery(api, query, server, dir);
            assertEquals(MESSAGES, Long.parseLong(value(answer)), answer);

            assertEquals("1", value(awaitQuery(api, "up{job=\"tickbus\"}", server, dir)));
            // every dashboard query is valid PromQL to this server, and the rules loaded and evaluate cleanly
            for (final String expr : dashboardExpressions())
            {
                final String result = getOrError(api + "query?query=" + encode(expr));
                assertTrue(result.contains("\"status\":\"success\""), expr + " -> " + result);
            }
            awaitRulesEvaluated(api, server, dir);
        }
        finally
        {
            stop(server);
        }
    }

    @Test
    void dashboardQueriesParseAndUseOnlyExportedNames() throws Exception
    {
        final List<String> expressions = dashboardExpressions();
        assertTrue(expressions.size() >= 20, "expressions: " + expressions);
        final Set<String> exported = PrometheusMetrics.all().stream().map(PrometheusMetric::name)
            .collect(Collectors.toSet());
        for (final String expr : expressions)
        {
            for (final String name : names(expr))
            {
                assertTrue(exported.contains(name), name + " in " + expr + " is not a name the exporter serves");
            }
        }
        final String text = Files.readString(GRAFANA.resolve("tickbus.json"));
        for (final String section : new String[]{"tickbus_stream_published_total", "tickbus_stream_back_pressure_total",
            "tickbus_stream_dropped_total", "tickbus_stream_gaps_total", "tickbus_feed_packets_total",
            "tickbus_feed_malformed_total", "tickbus_feed_gaps_total", "tickbus_cluster_role",
            "tickbus_cluster_commit_position_bytes", "tickbus_sequencer_sequenced_total",
            "tickbus_sequencer_duplicates_total", "tickbus_archive_recording_position_bytes",
            "tickbus_archive_recording_lag_bytes", "tickbus_subscriber_repeats_total", "tickbus_subscriber_gaps_total"})
        {
            assertTrue(text.contains(section), "a panel on " + section);
        }

        assumeTrue(onPath(PROMTOOL), "promtool not installed: PromQL of the dashboard not parsed");
        // promtool parses every expression of a rules file with Prometheus's own PromQL parser
        final StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++)
        {
            rules.append("      - record: dashboard:expr").append(i).append("\n        expr: '")
                .append(expressions.get(i).replace("'", "''")).append("'\n");
        }
        final Path file = tempDir.resolve("dashboard-rules.yml");
        Files.writeString(file, rules);
        final Result check = exec(tempDir, List.of(PROMTOOL, "check", "rules", file.toString()), null);
        assertEquals(0, check.exitCode, check.output);
        assertTrue(check.output.contains("SUCCESS: " + expressions.size() + " rules found"), check.output);
    }

    @Test
    void alertingRulesAreCleanAndFireWhenTheyShould() throws Exception
    {
        final String text = Files.readString(GRAFANA.resolve("alerts.yml"));
        for (final String alert : new String[]{"TickbusFeedSilent", "TickbusFeedLineDown", "TickbusGapNotRecovered",
            "TickbusSequencerNoLeader", "TickbusArchiveNotRecording", "TickbusDiskNearlyFull"})
        {
            assertTrue(text.contains("- alert: " + alert + "\n"), alert);
        }
        final Set<String> exported = PrometheusMetrics.all().stream().map(PrometheusMetric::name)
            .collect(Collectors.toSet());
        for (final String name : names(text))
        {
            assertTrue(exported.contains(name), name + " in alerts.yml");
        }

        assumeTrue(onPath(PROMTOOL), "promtool not installed: alerts.yml not checked");
        final Result check = exec(GRAFANA, List.of(PROMTOOL, "check", "rules", "alerts.yml"), null);
        assertEquals(0, check.exitCode, check.output);
        assertTrue(check.output.contains("SUCCESS"), check.output);
        final Result test = exec(GRAFANA, List.of(PROMTOOL, "test", "rules", "alerts.test.yml"), null);
        assertEquals(0, test.exitCode, test.output);
        assertTrue(test.output.contains("SUCCESS"), test.output);
    }

    private boolean recordingStarted()
    {
        final boolean[] found = {false};
        aeron.countersReader().forEach((id, typeId, key, label) ->
            found[0] |= io.aeron.AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID == typeId &&
                label.contains(" " + STREAM + " aeron:ipc"));
        return found[0];
    }

    private static List<String> dashboardExpressions() throws IOException
    {
        final String json = Files.readString(GRAFANA.resolve("tickbus.json"));
        final Matcher m = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        final List<String> expressions = new ArrayList<>();
        while (m.find())
        {
            // JSON unescaped, then Grafana's variables as Grafana substitutes them
            final String expr = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\")
                .replace("$__rate_interval", "1m").replace("$instance", ".*").replace("$stream", ".*");
            assertFalse(expr.contains("$"), "a Grafana variable this test does not substitute: " + expr);
            expressions.add(expr);
        }
        return expressions;
    }

    private static Set<String> names(final String text)
    {
        final Set<String> names = new TreeSet<>();
        final Matcher m = METRIC_NAME.matcher(text);
        while (m.find())
        {
            names.add(m.group(1));
        }
        return names;
    }

    private static String awaitQuery(final String api, final String query, final Process server, final Path dir)
        throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() - deadline < 0)
        {
            assertTrue(server.isAlive(), "prometheus exited: " + log(dir));
            last = getOrError(api + "query?query=" + encode(query));
            if (last.contains("\"status\":\"success\"") && last.contains("\"value\":["))
            {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no answer to " + query + ": " + last + "\n" + log(dir));
    }

    private static void awaitRulesEvaluated(final String api, final Process server, final Path dir) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String rules = "";
        while (System.nanoTime() - deadline < 0)
        {
            assertTrue(server.isAlive(), "prometheus exited: " + log(dir));
            rules = getOrError(api + "rules");
            if (!rules.contains("\"health\":\"unknown\"") && rules.contains("\"health\":\"ok\""))
            {
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(rules.contains("\"name\":\"TickbusFeedSilent\""), rules);
        assertFalse(rules.contains("\"health\":\"err\"") || rules.contains("\"health\":\"unknown\""), rules);
    }

    private static String value(final String answer)
    {
        final Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]*)\"]").matcher(answer);
        assertTrue(m.find(), answer);
        final String value = m.group(1);
        assertFalse(m.find(), "one series: " + answer);
        return value;
    }

    private static void stop(final Process server) throws InterruptedException
    {
        // by process id: SIGTERM, then SIGKILL if it does not go within 20 s
        server.destroy();
        if (!server.waitFor(20, TimeUnit.SECONDS))
        {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String log(final Path dir)
    {
        try
        {
            return Files.readString(dir.resolve("prometheus.log"));
        }
        catch (final IOException ex)
        {
            return "(no log: " + ex + ")";
        }
    }

    private static boolean onPath(final String command)
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            if (new File(dir, command).canExecute())
            {
                return true;
            }
        }
        return false;
    }

    private record Result(int exitCode, String output)
    {
    }

    private static Result exec(final Path dir, final List<String> command, final Path stdin) throws Exception
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        if (null != stdin)
        {
            builder.redirectInput(stdin.toFile());
        }
        final Process process = builder.start();
        final byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String get(final String url) throws IOException
    {
        final HttpURLConnection connection = (HttpURLConnection)new URL(url).openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(10_000);
        try
        {
            assertEquals(200, connection.getResponseCode(), url);
            return new String(connection.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        finally
        {
            connection.disconnect();
        }
    }

    /** GET, returning the body also on an HTTP error (Prometheus explains a bad query in the body of a 400). */
    private static String getOrError(final String url)
    {
        try
        {
            final HttpURLConnection connection = (HttpURLConnection)new URL(url).openConnection();
            connection.setConnectTimeout(2_000);
            connection.setReadTimeout(10_000);
            try
            {
                final int status = connection.getResponseCode();
                final var in = status < 400 ? connection.getInputStream() : connection.getErrorStream();
                return null == in ? "HTTP " + status : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            finally
            {
                connection.disconnect();
            }
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static void deleteRecursively(final Path path) throws IOException
    {
        if (null == path || !Files.exists(path))
        {
            return;
        }
        try (var walk = Files.walk(path))
        {
            for (final Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }
}
