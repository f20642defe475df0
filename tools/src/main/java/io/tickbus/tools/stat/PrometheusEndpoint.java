package io.tickbus.tools.stat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tickbus.client.TickbusCounters;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Serves a driver's counters in the Prometheus text exposition format (version 0.0.4) on {@code /metrics}, with
 * the JDK's HTTP server on one daemon thread, bound to loopback unless another address is given.
 * <p>
 * First the rollups of {@link CounterTable}: {@code tickbus_stream_*} per channel and stream,
 * {@code tickbus_cluster_*} per cluster member, {@code tickbus_archive_recording_position} per recording; then every
 * counter as a sample named by {@link CounterKinds#metricName(int, String)}, labelled with its counter id, type id
 * and label, plus {@code channel} and {@code stream} when it names them.
 * <p>
 * Threading: scrapes run on the server's one thread, which owns the endpoint's table. Allocation: the response
 * text per scrape; labels and names once per counter.
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
        return render(table, System.currentTimeMillis() - cnc.driverHeartbeatMs());
    }

    /**
     * @param table a refreshed table.
     * @param heartbeatAgeMs age of the driver's heartbeat.
     * @return the exposition text: the rollups (streams, cluster, archive recordings), then every counter under
     * its own metric name, samples grouped by name.
     */
    static String render(final CounterTable table, final long heartbeatAgeMs)
    {
        final StringBuilder out = new StringBuilder(16384);
        header(out, "tickbus_driver_heartbeat_age_ms", "gauge", "Milliseconds since the driver's last heartbeat.");
        out.append("tickbus_driver_heartbeat_age_ms ").append(heartbeatAgeMs).append('\n');

        final List<StreamStats> streams = table.streams();
        streamMetric(out, streams, "tickbus_stream_publishers", "gauge", "Publications per channel and stream.", 0);
        streamMetric(out, streams, "tickbus_stream_subscribers", "gauge", "Subscriptions per channel and stream.", 1);
        streamMetric(out, streams, "tickbus_stream_published_total", "counter", "Messages published.", 2);
        streamMetric(out, streams, "tickbus_stream_received_total", "counter", "Messages received (all subs).", 3);
        streamMetric(out, streams, "tickbus_stream_bytes_total", "counter", "Positions summed over sessions.", 4);
        streamMetric(out, streams, "tickbus_stream_back_pressure_total", "counter", "Back-pressure events.", 5);
        streamMetric(out, streams, "tickbus_stream_dropped_total", "counter", "Messages not published.", 6);
        streamMetric(out, streams, "tickbus_stream_malformed_total", "counter", "Fragments not decodable.", 7);
        streamMetric(out, streams, "tickbus_stream_gaps_total", "counter",
            "Jumps over global sequences seen by subscribers.", 8);
        streamMetric(out, streams, "tickbus_stream_repeats_total", "counter",
            "Sequenced messages dropped as already delivered.", 9);

        final List<ClusterStats> clusters = table.clusters();
        if (!clusters.isEmpty())
        {
            header(out, "tickbus_cluster_role", "gauge", "Cluster node role: 0 follower, 1 candidate, 2 leader.");
            for (int i = 0, n = clusters.size(); i < n; i++)
            {
                final ClusterStats c = clusters.get(i);
                out.append("tickbus_cluster_role{").append(c.prometheusLabels).append(",role=\"")
                    .append(c.roleName()).append("\"} ").append(c.role()).append('\n');
            }
            header(out, "tickbus_cluster_commit_position", "gauge", "Cluster commit position.");
            for (int i = 0, n = clusters.size(); i < n; i++)
            {
                final ClusterStats c = clusters.get(i);
                out.append("tickbus_cluster_commit_position{").append(c.prometheusLabels).append("} ")
                    .append(c.commitPosition()).append('\n');
            }
            header(out, "tickbus_cluster_election_state", "gauge", "Election state code (17 closed).");
            for (int i = 0, n = clusters.size(); i < n; i++)
            {
                final ClusterStats c = clusters.get(i);
                out.append("tickbus_cluster_election_state{").append(c.prometheusLabels).append(",state=\"")
                    .append(c.electionStateName()).append("\"} ").append(c.electionState).append('\n');
            }
        }

        final List<CounterRow> recordings = table.recordings();
        if (!recordings.isEmpty())
        {
            header(out, "tickbus_archive_recording_position", "gauge", "Recorded position per recording.");
            for (int i = 0, n = recordings.size(); i < n; i++)
            {
                final CounterRow r = recordings.get(i);
                out.append("tickbus_archive_recording_position{recording_id=\"").append(r.recordingId())
                    .append("\",").append(r.prometheusLabels()).append("} ").append(r.value()).append('\n');
            }
        }

        // every counter under its own name, grouped: names in first-seen order, one pass per name
        final List<CounterRow> rows = table.rows();
        final int n = rows.size();
        final boolean[] done = new boolean[n];
        for (int i = 0; i < n; i++)
        {
            if (done[i])
            {
                continue;
            }
            final String name = rows.get(i).metricName();
            out.append("# TYPE ").append(name).append(name.endsWith("_total") ? " counter\n" : " gauge\n");
            for (int j = i; j < n; j++)
            {
                final CounterRow row = rows.get(j);
                if (!done[j] && name.equals(row.metricName()))
                {
                    done[j] = true;
                    out.append(name).append('{').append(row.prometheusLabels()).append("} ").append(row.value())
                        .append('\n');
                }
            }
        }
        return out.toString();
    }

    private static void streamMetric(
        final StringBuilder out,
        final List<StreamStats> streams,
        final String name,
        final String type,
        final String help,
        final int field)
    {
        if (streams.isEmpty())
        {
            return;
        }
        header(out, name, type, help);
        for (int i = 0, n = streams.size(); i < n; i++)
        {
            final StreamStats s = streams.get(i);
            final long value = switch (field)
            {
                case 0 -> s.publishers();
                case 1 -> s.subscribers();
                case 2 -> s.published();
                case 3 -> s.received();
                case 4 -> s.bytes();
                case 5 -> s.backPressure();
                case 6 -> s.drops();
                case 7 -> s.malformed();
                case 8 -> s.gaps();
                default -> s.repeats();
            };
            out.append(name).append('{').append(s.prometheusLabels).append("} ").append(value).append('\n');
        }
    }

    private static void header(final StringBuilder out, final String name, final String type, final String help)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /**
     * @param row a counter, parsed.
     * @return its sample labels: id, type id, channel and stream when it names them, the feed of a feed-handler
     * counter, and its label.
     */
    static String labels(final CounterRow row)
    {
        final StringBuilder sb = new StringBuilder(64 + row.label().length());
        sb.append("id=\"").append(row.id()).append("\",type_id=\"").append(row.typeId()).append('"');
        if (null != row.channel())
        {
            sb.append(",channel=").append(quote(row.channel()));
        }
        if (CounterRow.NO_STREAM != row.streamId())
        {
            sb.append(",stream=\"").append(row.streamId()).append('"');
        }
        if (row.typeId() >= TickbusCounters.FEED_HANDLER_BASE && row.typeId() < TickbusCounters.SEQUENCER_BASE)
        {
            final int colon = row.label().indexOf(": ");
            if (colon > 0)
            {
                sb.append(",feed=").append(quote(row.label().substring(colon + 2)));
            }
        }
        sb.append(",label=").append(quote(row.label()));
        return sb.toString();
    }

    /**
     * @param value a label value.
     * @return it quoted and escaped for the text format.
     */
    static String quote(final String value)
    {
        final StringBuilder sb = new StringBuilder(value.length() + 2);
        sb.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        sb.append('"');
        return sb.toString();
    }

    /** Stop serving. */
    public void close()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService)server.getExecutor()).shutdownNow();
    }
}
