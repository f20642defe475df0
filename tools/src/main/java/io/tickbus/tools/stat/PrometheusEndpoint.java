package io.tickbus.tools.stat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Serves a driver's counters in the Prometheus text exposition format (version 0.0.4) on {@code /metrics}, with
 * the JDK's HTTP server on one daemon thread, bound to loopback unless another address is given.
 * <p>
 * Every counter becomes a sample named by {@link CounterKinds#metricName(int, String)}, labelled with its counter
 * id, type id and label, plus {@code channel} and {@code stream} when the label carries them (Tickbus counters do).
 * <p>
 * Threading: scrapes run on the server's thread. Allocation: per scrape.
 */
public final class PrometheusEndpoint implements AutoCloseable
{
    /** Content type of the text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final CncCounters cnc;

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
                body = render(cnc.snapshot(), System.currentTimeMillis() - cnc.driverHeartbeatMs())
                    .getBytes(StandardCharsets.UTF_8);
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
     * @param counters a snapshot.
     * @param heartbeatAgeMs age of the driver's heartbeat.
     * @return the exposition text, samples grouped by metric name.
     */
    static String render(final List<CncCounters.Counter> counters, final long heartbeatAgeMs)
    {
        final Map<String, StringBuilder> byName = new LinkedHashMap<>();
        for (final CncCounters.Counter c : counters)
        {
            final String name = CounterKinds.metricName(c.typeId(), c.label());
            final StringBuilder sb = byName.computeIfAbsent(name, (n) -> new StringBuilder());
            sb.append(name).append("{id=\"").append(c.id()).append("\",type_id=\"").append(c.typeId()).append('"');
            appendChannelAndStream(sb, c.label());
            sb.append(",label=");
            appendLabelValue(sb, c.label());
            sb.append("} ").append(c.value()).append('\n');
        }
        final StringBuilder out = new StringBuilder(8192);
        out.append("# HELP tickbus_driver_heartbeat_age_ms Milliseconds since the media driver's last heartbeat.\n");
        out.append("# TYPE tickbus_driver_heartbeat_age_ms gauge\n");
        out.append("tickbus_driver_heartbeat_age_ms ").append(heartbeatAgeMs).append('\n');
        for (final Map.Entry<String, StringBuilder> e : byName.entrySet())
        {
            final String name = e.getKey();
            out.append("# TYPE ").append(name).append(name.endsWith("_total") ? " counter\n" : " gauge\n");
            out.append(e.getValue());
        }
        return out.toString();
    }

    private static void appendChannelAndStream(final StringBuilder sb, final String label)
    {
        final String channel = word(label, "channel=");
        final String stream = word(label, "stream=");
        if (null != channel)
        {
            sb.append(",channel=");
            appendLabelValue(sb, channel);
        }
        if (null != stream)
        {
            sb.append(",stream=");
            appendLabelValue(sb, stream);
        }
    }

    private static String word(final String label, final String key)
    {
        final int start = label.indexOf(key);
        if (start < 0 || (start > 0 && label.charAt(start - 1) != ' ' && label.charAt(start - 1) != ':'))
        {
            return null;
        }
        int end = start + key.length();
        while (end < label.length() && label.charAt(end) != ' ')
        {
            end++;
        }
        return label.substring(start + key.length(), end);
    }

    private static void appendLabelValue(final StringBuilder sb, final String value)
    {
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
    }

    /** Stop serving. */
    public void close()
    {
        server.stop(0);
        ((java.util.concurrent.ExecutorService)server.getExecutor()).shutdownNow();
    }
}
