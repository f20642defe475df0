package io.tickbus.perf.peers;

import io.aeron.Aeron;
import io.aeron.ChannelUriStringBuilder;
import io.tickbus.driver.TickbusDriver;
import org.agrona.CloseHelper;

import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The peer comparison (issue 7): the same workload (see {@link Workload}) and the same measurement
 * ({@link PeerBench}) over raw Aeron, Tickbus direct (also with a cached publish clock, and with the stream recorded by
 * the archive), Tickbus sequenced (1-member cluster), JeroMQ, NATS, MQTT, Chronicle Queue and Kafka, printed as one
 * table with the ratios to raw Aeron IPC and to Tickbus direct IPC and the load average after each case.
 * <p>
 * Run by {@code scripts/bench-peers.sh}, which starts nats-server and mosquitto on 127.0.0.1 and passes their URLs.
 * Options ({@code --name value}): samples, rate, slow-rate, slow-samples, sizes, systems, throughput-messages,
 * throughput-seconds, max-case-seconds, nats-url, mqtt-url, kafka-bootstrap, chronicle-dir, zmq-hwm, udp-port-base,
 * markdown. Not a test: nothing is asserted.
 */
public final class PeerComparison
{
    /** Every system, in table order. */
    public static final String ALL_SYSTEMS =
        "raw-ipc,tickbus-ipc,tickbus-ipc-cached-clock,tickbus-recorded,tickbus-seq1,tickbus-seq3,raw-udp,tickbus-udp,raw-mcast," +
        "tickbus-mcast," +
        "jeromq-inproc,jeromq-tcp,chronicle,nats,mqtt,kafka";

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static
    {
        DEFAULTS.put("samples", "100000");
        DEFAULTS.put("rate", "10000");
        DEFAULTS.put("slow-rate", "1000");
        DEFAULTS.put("slow-samples", "20000");
        DEFAULTS.put("sizes", "64,256");
        DEFAULTS.put("systems", ALL_SYSTEMS);
        DEFAULTS.put("throughput-messages", "10000000");
        DEFAULTS.put("throughput-seconds", "10");
        DEFAULTS.put("max-case-seconds", "60");
        DEFAULTS.put("nats-url", "");
        DEFAULTS.put("mqtt-url", "");
        DEFAULTS.put("kafka-bootstrap", "");
        DEFAULTS.put("chronicle-dir", System.getProperty("java.io.tmpdir"));
        DEFAULTS.put("zmq-hwm", "1000");
        DEFAULTS.put("udp-port-base", "28000");
        DEFAULTS.put("markdown", "");
    }

    private PeerComparison()
    {
    }

    /**
     * @param args {@code --name value} pairs, see the class comment.
     * @throws Exception on failure to start the embedded driver.
     */
    public static void main(final String[] args) throws Exception
    {
        final Map<String, String> options = parse(args);
        final int samples = positive(options, "samples");
        final int rate = positive(options, "rate");
        final int slowRate = Integer.parseInt(options.get("slow-rate"));
        final int slowSamples = positive(options, "slow-samples");
        final long maxCaseNs = TimeUnit.SECONDS.toNanos(positive(options, "max-case-seconds"));
        final PeerBench bench = new PeerBench(samples, maxCaseNs, Long.parseLong(options.get("throughput-messages")),
            TimeUnit.SECONDS.toNanos(positive(options, "throughput-seconds")));
        final List<Integer> sizes = new ArrayList<>();
        for (final String size : options.get("sizes").split(","))
        {
            final int value = Integer.parseInt(size.trim());
            if (Workload.SMALL != value && Workload.LARGE != value)
            {
                throw new IllegalArgumentException("--sizes takes 64 and/or 256, not " + value);
            }
            sizes.add(value);
        }

        final String started = ZonedDateTime.now().toString();
        final List<CaseResult> results = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        try (TickbusDriver driver = TickbusDriver.launchEmbedded("peers");
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())))
        {
            final int[] port = { Integer.parseInt(options.get("udp-port-base")) };
            for (final String system : options.get("systems").split(","))
            {
                final IntFunction<PeerTransport> factory = factory(system.trim(), options, aeron, port, skipped);
                if (null == factory)
                {
                    continue;
                }
                for (final int size : sizes)
                {
                    final PeerTransport transport = factory.apply(size);
                    try
                    {
                        results.add(report(bench.run(transport, size, rate, samples, true)));
                        if (transport.slowPeer() && slowRate > 0)
                        {
                            results.add(report(bench.run(transport, size, slowRate, slowSamples, false)));
                        }
                    }
                    finally
                    {
                        CloseHelper.close(transport);
                    }
                }
            }
        }

        final String table = ResultTable.markdown(results);
        System.out.println();
        System.out.println("Started " + started + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " +
            System.getProperty("java.version"));
        System.out.println(table);
        for (final String note : skipped)
        {
            System.out.println("skipped: " + note);
        }
        final String markdown = options.get("markdown");
        if (!markdown.isEmpty())
        {
            Files.writeString(Path.of(markdown), table, StandardCharsets.UTF_8);
        }
    }

    private static CaseResult report(final CaseResult result)
    {
        final PrintStream out = System.out;
        out.printf(Locale.ROOT, "%-16s %-30s %4d B %6d/s p50 %9.2f us p99 %9.2f us max %10.2f us %12.0f msg/s " +
            "lost %d load %.2f %s%s%n",
            result.system(), result.transport(), result.size(), result.rate(), result.micros(50), result.micros(99),
            result.micros(100), result.throughput(), result.lost(), result.loadAverage(), result.latencyNote(),
            result.error());
        return result;
    }

    private static IntFunction<PeerTransport> sequenced(final Aeron aeron, final int[] port, final int memberCount)
    {
        return size ->
        {
            final int base = port[0];
            port[0] += 100;
            try
            {
                return new SequencedTransport(aeron, base, memberCount);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted launching the sequencer", ex);
            }
        };
    }

    private static IntFunction<PeerTransport> factory(
        final String system,
        final Map<String, String> options,
        final Aeron aeron,
        final int[] port,
        final List<String> skipped)
    {
        switch (system)
        {
            case "raw-ipc":
                return size -> new RawAeronTransport(aeron, "ipc", "aeron:ipc", "aeron:ipc", "aeron:ipc");
            case "tickbus-ipc":
                return size -> new TickbusTransport(aeron, "ipc", "aeron:ipc", "aeron:ipc", "aeron:ipc");
            case "tickbus-ipc-cached-clock":
                return size -> new TickbusTransport(aeron, "Tickbus direct", "ipc, clock cached per 256 msgs",
                    "aeron:ipc", "aeron:ipc", "aeron:ipc", 256);
            case "tickbus-recorded":
            {
                final File dir = new File(options.get("chronicle-dir"));
                return size -> new RecordedTickbusTransport(aeron, aeron.context().aeronDirectoryName(), dir);
            }
            case "tickbus-seq1":
                return sequenced(aeron, port, 1);
            case "tickbus-seq3":
                return sequenced(aeron, port, 3);
            case "raw-udp":
                return size -> new RawAeronTransport(
                    aeron, "udp 127.0.0.1", udp(port[0]++), udp(port[0]++), udp(port[0]++));
            case "tickbus-udp":
                return size -> new TickbusTransport(
                    aeron, "udp 127.0.0.1", udp(port[0]++), udp(port[0]++), udp(port[0]++));
            case "raw-mcast":
                return size -> new RawAeronTransport(
                    aeron, "multicast lo ttl=0", multicast(port[0]++), multicast(port[0]++), multicast(port[0]++));
            case "tickbus-mcast":
                return size -> new TickbusTransport(
                    aeron, "multicast lo ttl=0", multicast(port[0]++), multicast(port[0]++), multicast(port[0]++));
            case "jeromq-inproc":
            {
                final int hwm = positive(options, "zmq-hwm");
                return size -> new JeroMqTransport("inproc (HWM " + hwm + ")", "inproc://ping-" + port[0]++,
                    "inproc://pong-" + port[0]++, "inproc://data-" + port[0]++, hwm);
            }
            case "jeromq-tcp":
            {
                final int hwm = positive(options, "zmq-hwm");
                return size -> new JeroMqTransport("tcp 127.0.0.1 (HWM " + hwm + ")", tcp(port[0]++),
                    tcp(port[0]++), tcp(port[0]++), hwm);
            }
            case "chronicle":
            {
                final File dir = new File(options.get("chronicle-dir"));
                return size -> new ChronicleQueueTransport(dir);
            }
            case "nats":
            {
                final String url = options.get("nats-url");
                if (url.isEmpty())
                {
                    skipped.add("nats: no --nats-url (scripts/bench-peers.sh starts nats-server and passes it)");
                    return null;
                }
                return size -> new NatsTransport(
                    url, "tickbus.bench." + ProcessHandle.current().pid() + "." + size);
            }
            case "mqtt":
            {
                final String url = options.get("mqtt-url");
                if (url.isEmpty())
                {
                    skipped.add("mqtt: no --mqtt-url (scripts/bench-peers.sh starts mosquitto and passes it)");
                    return null;
                }
                return size -> new MqttTransport(
                    url, "tickbus/bench/" + ProcessHandle.current().pid() + "/" + size);
            }
            case "kafka":
            {
                final String bootstrap = options.get("kafka-bootstrap");
                if (bootstrap.isEmpty())
                {
                    skipped.add("kafka: no --kafka-bootstrap (scripts/bench-peers.sh passes it once the broker is up)");
                    return null;
                }
                return size -> new KafkaTransport(
                    bootstrap, "tickbus-bench-" + ProcessHandle.current().pid() + "-" + size);
            }
            default:
                throw new IllegalArgumentException("unknown system '" + system + "', known: " + ALL_SYSTEMS);
        }
    }

    private static String multicast(final int port)
    {
        return io.tickbus.client.BusChannels.multicast("239.255.39.1", port, "127.0.0.1", 0);
    }

    private static String udp(final int port)
    {
        return new ChannelUriStringBuilder().media("udp").endpoint("127.0.0.1:" + port).build();
    }

    private static String tcp(final int port)
    {
        return "tcp://127.0.0.1:" + port;
    }

    private static Map<String, String> parse(final String[] args)
    {
        final Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if (!arg.startsWith("--") || !DEFAULTS.containsKey(arg.substring(2)) || i + 1 >= args.length)
            {
                throw new IllegalArgumentException("usage: PeerComparison [--name value]..., names: " +
                    DEFAULTS.keySet() + "; bad argument: " + arg);
            }
            options.put(arg.substring(2), args[++i]);
        }
        return options;
    }

    private static int positive(final Map<String, String> options, final String name)
    {
        final int value = Integer.parseInt(options.get(name));
        if (value <= 0)
        {
            throw new IllegalArgumentException("--" + name + " must be positive: " + value);
        }
        return value;
    }
}
