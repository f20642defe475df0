package io.tickbus.tools.stat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aeron.AeronCounters;
import io.aeron.status.ChannelEndpointStatus;
import io.tickbus.archive.ArchiveCounters;
import org.agrona.collections.Int2IntCounterMap;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * Serves a driver's counters in the Prometheus text exposition format (version 0.0.4) on {@code /metrics}, with
 * the JDK's HTTP server on one daemon thread, bound to loopback unless another address is given.
 * <p>
 * First the rollups of {@link CounterTable}: {@code tickbus_stream_*} per channel and stream,
 * {@code tickbus_archive_recording*} per recorded stream, {@code tickbus_cluster_*} per cluster member; then every
 * exported counter type under its {@link PrometheusMetrics} name. Every family has HELP and TYPE, and labels of
 * bounded cardinality: the counters that share a label set are combined (summed, mostly), and Aeron's internal
 * streams (archive control and replay, cluster log) are summed per stream id under {@code channel="internal"}, so
 * neither replays nor restarts add series. Written with {@link PrometheusText}.
 * <p>
 * Threading: scrapes run on the server's one thread, which owns the endpoint's table. Allocation: the response
 * and its families per scrape; labels and names once per counter.
 */
public final class PrometheusEndpoint implements AutoCloseable
{
    /** Content type of the text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final CncCounters cnc;
    private final CounterTable table = new CounterTable();

    /**
     * @param cnc the counters to serve.
     * @param bindAddress address to bind, null for loopback.
     * @param port TCP port.
     * @throws IOException when the port cannot be bound.
     */
    public PrometheusEndpoint(final CncCounters cnc, final InetAddress bindAddress, final int port) throws IOException
    {
        this.cnc = cnc;
        final InetAddress address = null == bindAddress ? InetAddress.getLoopbackAddress() : bindAddress;
        server = HttpServer.create(new InetSocketAddress(address, port), 8);
        server.createContext("/metrics", this::onScrape);
        server.setExecutor(Executors.newSingleThreadExecutor((r) ->
        {
            final Thread t = new Thread(r, "tickbus-prometheus");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** @return the bound address. */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    private void onScrape(final HttpExchange exchange) throws IOException
    {
        try
        {
            final byte[] body;
            int status = 200;
            if (!"GET".equals(exchange.getRequestMethod()))
            {
                status = 405;
                body = "GET only\n".getBytes(StandardCharsets.UTF_8);
            }
            else
            {
                body = render(table, cnc, System.nanoTime()).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
        finally
        {
            exchange.close();
        }
    }

    /**
     * Refresh a table and render it.
     *
     * @param table the endpoint's own table, refreshed here.
     * @param cnc the driver's counters.
     * @param nowNs monotonic time, for the table's rates.
     * @return the exposition text.
     */
    static String render(final CounterTable table, final CncCounters cnc, final long nowNs)
    {
        table.refresh(cnc.reader(), nowNs);
        final PrometheusText text = new PrometheusText();
        render(text, table, System.currentTimeMillis() - cnc.driverHeartbeatMs());
        filesystems(text, cnc.directory(), table.rows());
        return text.render();
    }

    /**
     * Free and total space of the driver directory's file system and of each archive directory's (named by the
     * Tickbus archive's counters), each path once.
     */
    static void filesystems(final PrometheusText text, final File driverDirectory, final List<CounterRow> rows)
    {
        final Set<String> paths = new LinkedHashSet<>();
        paths.add(driverDirectory.getPath());
        for (int i = 0, n = rows.size(); i < n; i++)
        {
            final CounterRow row = rows.get(i);
            if (ArchiveCounters.INDEXED_MESSAGES_TYPE_ID == row.typeId())
            {
                final String dir = CounterKinds.word(row.label(), "dir=");
                if (null != dir)
                {
                    paths.add(dir);
                }
            }
        }
        for (final String path : paths)
        {
            final File file = new File(path);
            final long size = file.getTotalSpace();
            if (size > 0)
            {
                final String labels = "path=" + PrometheusText.quote(path);
                text.add(PrometheusMetrics.FILESYSTEM_AVAILABLE, labels, file.getUsableSpace());
                text.add(PrometheusMetrics.FILESYSTEM_SIZE, labels, size);
            }
        }
    }

    /**
     * @param table a refreshed table.
     * @param heartbeatAgeMs age of the driver's heartbeat.
     * @return the exposition text: the rollups (driver, streams, archive recordings, cluster members), then every
     * exported counter type under its {@link PrometheusMetrics} name, counters on one label set combined, then the
     * number of counters left out by type id.
     */
    static String render(final CounterTable table, final long heartbeatAgeMs)
    {
        final PrometheusText text = new PrometheusText();
        render(text, table, heartbeatAgeMs);
        return text.render();
    }

    private static void render(final PrometheusText text, final CounterTable table, final long heartbeatAgeMs)
    {
        text.add(PrometheusMetrics.DRIVER_HEARTBEAT_AGE, "", heartbeatAgeMs);

        final List<StreamStats> streams = table.streams();
        for (int i = 0, n = streams.size(); i < n; i++)
        {
            final StreamStats s = streams.get(i);
            final String labels = s.prometheusLabels();
            text.add(PrometheusMetrics.STREAM_PUBLISHERS, labels, s.publishers());
            text.add(PrometheusMetrics.STREAM_SUBSCRIBERS, labels, s.subscribers());
            text.add(PrometheusMetrics.STREAM_PUBLISHED, labels, s.published());
            text.add(PrometheusMetrics.STREAM_RECEIVED, labels, s.received());
            text.add(PrometheusMetrics.STREAM_BYTES, labels, s.bytes());
            text.add(PrometheusMetrics.STREAM_BACK_PRESSURE, labels, s.backPressure());
            text.add(PrometheusMetrics.STREAM_DROPPED, labels, s.drops());
            text.add(PrometheusMetrics.STREAM_MALFORMED, labels, s.malformed());
            text.add(PrometheusMetrics.STREAM_GAPS, labels, s.gaps());
            text.add(PrometheusMetrics.STREAM_REPEATS, labels, s.repeats());
        }
        for (int i = 0, n = streams.size(); i < n; i++)
        {
            final StreamStats s = streams.get(i);
            if (s.recordings() > 0)
            {
                final String labels = s.prometheusLabels();
                text.add(PrometheusMetrics.RECORDINGS, labels, s.recordings());
                text.add(PrometheusMetrics.RECORDING_POSITION, labels, s.recordedPosition());
                text.add(PrometheusMetrics.RECORDING_LAG, labels, s.recordingLag());
            }
        }

        final List<ClusterStats> clusters = table.clusters();
        for (int i = 0, n = clusters.size(); i < n; i++)
        {
            final ClusterStats c = clusters.get(i);
            text.add(PrometheusMetrics.CLUSTER_ROLE, c.prometheusLabels, c.role());
            text.add(PrometheusMetrics.CLUSTER_COMMIT_POSITION, c.prometheusLabels, c.commitPosition());
            text.add(PrometheusMetrics.CLUSTER_ELECTION_STATE, c.prometheusLabels, c.electionState());
            text.add(PrometheusMetrics.CLUSTER_MODULE_STATE, c.prometheusLabels, c.moduleState());
            text.add(PrometheusMetrics.CLUSTER_LEADERSHIP_TERM, c.prometheusLabels, c.leadershipTermId());
            if (c.elections() >= 0)
            {
                text.add(PrometheusMetrics.CLUSTER_ELECTIONS, c.prometheusLabels, c.elections());
            }
        }

        final List<CounterRow> rows = table.rows();
        final Int2IntCounterMap unexported = new Int2IntCounterMap(0);
        for (int i = 0, n = rows.size(); i < n; i++)
        {
            final CounterRow row = rows.get(i);
            final PrometheusMetric metric = row.metric();
            if (null != metric)
            {
                text.add(metric, sampleLabels(row), row.value());
            }
            else if (!isRollup(row.typeId()))
            {
                unexported.incrementAndGet(row.typeId());
            }
        }
        unexported.forEach((typeId, count) ->
            text.add(PrometheusMetrics.UNEXPORTED, "type_id=\"" + typeId + "\"", count));
    }

    private static boolean isRollup(final int typeId)
    {
        return AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID == typeId ||
            AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID == typeId ||
            AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID == typeId ||
            AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID == typeId ||
            AeronCounters.CLUSTER_CONSENSUS_MODULE_STATE_TYPE_ID == typeId ||
            AeronCounters.CLUSTER_LEADERSHIP_TERM_ID_TYPE_ID == typeId ||
            AeronCounters.CLUSTER_ELECTION_COUNT_TYPE_ID == typeId;
    }

    private static String sampleLabels(final CounterRow row)
    {
        switch (row.metric().labels())
        {
            case STREAM:
                return null == row.stream() ? "" : row.stream().prometheusLabels();
            case CHANNEL_STATUS:
                return "status=\"" + channelStatus(row.value()) + "\"";
            default:
                return row.prometheusLabels();
        }
    }

    private static String channelStatus(final long code)
    {
        if (ChannelEndpointStatus.ACTIVE == code)
        {
            return "active";
        }
        if (ChannelEndpointStatus.ERRORED == code)
        {
            return "errored";
        }
        if (ChannelEndpointStatus.INITIALIZING == code)
        {
            return "initializing";
        }
        return ChannelEndpointStatus.CLOSING == code ? "closing" : "unknown";
    }

    /**
     * @param row a counter, parsed, with its {@link CounterRow#metric() family}.
     * @return the labels of its sample that are fixed for its life (feed, member, feed id, cluster id, client name,
     * version), without braces; empty for a family labelled by stream or status, which are decided per scrape.
     */
    static String labels(final CounterRow row)
    {
        final String label = row.label();
        switch (row.metric().labels())
        {
            case FEED:
            {
                final int colon = label.indexOf(": ");
                return colon > 0 ? "feed=" + PrometheusText.quote(label.substring(colon + 2)) : "";
            }
            case FEED_LINE:
            {
                // "tickbus-feed line packets: itch5 feed 1 line A (udp://...)": the line's address stays out
                final int colon = label.indexOf(": ");
                final int line = label.lastIndexOf(" line ");
                if (colon < 0 || line < colon)
                {
                    return "";
                }
                final int letterEnd = label.indexOf(' ', line + 6);
                return "feed=" + PrometheusText.quote(label.substring(colon + 2, line)) + ",line=" +
                    PrometheusText.quote(label.substring(line + 6, letterEnd < 0 ? label.length() : letterEnd));
            }
            case MEMBER:
                return wordLabel("member", label, "member=");
            case FEED_ID:
                return wordLabel("feed_id", label, "feed=");
            case CLIENT_NAME:
                return wordLabel("name", label, "name=");
            case VERSION:
                return wordLabel("version", label, "version=");
            case CLUSTER:
                return "cluster_id=\"" + row.clusterId + "\"";
            default:
                return "";
        }
    }

    private static String wordLabel(final String name, final String label, final String key)
    {
        final String value = CounterKinds.word(label, key);
        return name + "=" + PrometheusText.quote(null == value ? "" : value);
    }

    /** Stop serving. */
    public void close()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService)server.getExecutor()).shutdownNow();
    }
}
