package io.tickbus.tools;

import io.tickbus.client.Durations;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.UdpSource;
import io.tickbus.feed.Venues;
import io.tickbus.feed.sim.CapturePlayer;
import io.tickbus.feed.sim.ItchSimulator;
import io.tickbus.feed.sim.MoldUdp64History;
import io.tickbus.feed.sim.PacketOutput;
import io.tickbus.feed.sim.RerequestServer;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tickbus simulate}: the exchange simulator. Generates ITCH 5.0 order flow over MoldUDP64
 * ({@link ItchSimulator}) to UDP or into an ITCH binary file, or plays a capture onto UDP ({@link CapturePlayer}).
 * <p>
 * Threading: the command's thread runs the agent with a back-off idle strategy.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Generate ITCH 5.0 order flow, or play a capture onto UDP.",
        "The exchange simulator sends realistic order flow over MoldUDP64 or writes",
        "it to a day file. Destinations default to loopback; a multicast group is",
        "sent with TTL 0 on the loopback interface."},
    footer = {
        "",
        "Examples:",
        "  tickbus simulate --venue itch5 --symbols 20 --rate 50000 --count 1000000 \\",
        "      --to udp://127.0.0.1:41000",
        "  tickbus simulate --venue itch5 --count 100000 --rate max --seed 7 \\",
        "      --to /tmp/sim.itch",
        "  tickbus simulate --venue itch5 --profile day --count 10000000 --rate max \\",
        "      --to /tmp/day.itch",
        "  tickbus simulate --venue itch5 --count 100000 --rate 20000 --to /tmp/sim.pcap",
        "  tickbus simulate --pcap v5.0_Multiple.Packets.pcap --speed 1 \\",
        "      --to udp://127.0.0.1:41000",
        "  tickbus simulate --venue itch5 --rate 20000 --count 200000 --loss 2%% \\",
        "      --to udp://127.0.0.1:41000 --to udp://127.0.0.1:41001",
        "",
        "Several --to are the venue's A and B lines: every packet is sent to each.",
        "--loss drops packets at random on each line independently, seeded from",
        "--seed (line A from seed+1, B from seed+2, ...), so a run repeats exactly.",
        "--rerequest-port serves MoldUDP64 re-requests on 127.0.0.1:PORT from the",
        "last 65536 packets sent (before any loss), and keeps serving for",
        "--rerequest-linger after the run; its counts are \"rerequest\" in the JSON:",
        "  tickbus simulate --venue itch5 --rate 20000 --count 200000 --loss 2%% \\",
        "      --to udp://127.0.0.1:41000 --rerequest-port 41100"})
public final class SimulateCommand implements Callable<Integer>
{
    @Option(names = "--venue", paramLabel = "VENUE", description = "itch5 (generate order flow).")
    String venue;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Play this capture's UDP payloads instead.")
    Path pcap;

    @Option(names = "--to", required = true, paramLabel = "udp://HOST:PORT|FILE",
        description = {"Destination; when generating also a file: NAME.pcap writes a capture of the",
            "MoldUDP64 packets, any other name an ITCH day file. Repeat for A/B lines (UDP only)."})
    java.util.List<String> tos;

    @Option(names = "--loss", paramLabel = "P%", defaultValue = "0",
        description = "Packets lost at random on each UDP line, independently, in percent (default 0).")
    String loss;

    @Option(names = "--rerequest-port", paramLabel = "PORT",
        description = "Serve MoldUDP64 re-requests on 127.0.0.1:PORT (UDP lines only).")
    Integer rerequestPort;

    @Option(names = "--rerequest-linger", paramLabel = "T", defaultValue = "2s",
        description = "Keep serving re-requests this long after the run (default 2s).")
    String rerequestLinger;

    @Option(names = "--symbols", paramLabel = "N",
        description = "Symbols (default 8, or 8000 with --profile day).")
    Integer symbols;

    @Option(names = "--profile", paramLabel = "flat|day", defaultValue = "flat",
        description = "flat: every symbol alike, times as sent (default); day: a trading day for day " +
            "files, heavy-tailed symbols, a heavy open and close, opening and closing crosses.")
    String profile;

    @Option(names = "--rate", paramLabel = "R|max", defaultValue = "10000",
        description = "Messages per second, or max (default 10000).")
    String rate;

    @Option(names = "--count", paramLabel = "N", defaultValue = "100000",
        description = "Order-flow messages after the stock directory (default 100000).")
    long count;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Random seed (default 42).")
    long seed;

    @Option(names = "--speed", paramLabel = "X|max", defaultValue = "1",
        description = "Capture playback: 1 = original timing (default), 10 = ten times faster, max = flat out.")
    String speed;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public Integer call() throws Exception
    {
        if ((null == venue) == (null == pcap))
        {
            throw new IllegalArgumentException("give exactly one of --venue itch5 or --pcap FILE");
        }
        FeedHandlerAgent.Context.parseSpeed(speed);
        final double lossFraction = parseLoss(loss);
        final String to = tos.get(0);
        if (tos.size() > 1 || lossFraction > 0)
        {
            for (final String line : tos)
            {
                if (!UdpSource.isUdpUri(line))
                {
                    throw new IllegalArgumentException("several --to and --loss are for UDP lines: " + line);
                }
                UdpSource.parse(line);
            }
        }
        if (!UdpSource.isUdpUri(to))
        {
            CliChecks.writableFile("--to", Path.of(to));
        }
        final PrintWriter out = spec.commandLine().getOut();
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 1_000_000);
        if (null != pcap)
        {
            if (!UdpSource.isUdpUri(to))
            {
                throw new IllegalArgumentException("--pcap plays onto UDP: --to udp://HOST:PORT");
            }
            UdpSource.parse(to);
            if (!Files.exists(pcap))
            {
                throw new IllegalArgumentException("file not found: " + pcap);
            }
            final double factor = FeedHandlerAgent.Context.parseSpeed(speed);
            final PacketOutput lines = lines(lossFraction);
            try (CapturePlayer player = new CapturePlayer(pcap, lines, factor,
                (reason, packet, offset) -> spec.commandLine().getErr().println(
                    "tickbus simulate: skipped: " + reason + " (packet " + packet + ", offset " + offset + ")"));
                StopSignal stop = StopSignal.register())
            {
                while (!player.isDone() && !stop.isRequested())
                {
                    idle.idle(player.doWork());
                }
                out.println("{\"packets\":" + player.packetsSent() + ",\"records\":" + player.reader().records() +
                    linesJson(lines) + "}");
            }
            return TickbusCli.EXIT_OK;
        }

        if (!Venues.ITCH5.equals(venue))
        {
            Venues.validate(venue);
            throw new IllegalArgumentException("the simulator generates itch5 only (not " + venue + ")");
        }
        final long rateValue = parseRate(rate);
        final PacketOutput output;
        if (UdpSource.isUdpUri(to))
        {
            output = lines(lossFraction);
        }
        else if (to.endsWith(".pcap"))
        {
            output = PacketOutput.pcap(Path.of(to), 41000, io.tickbus.client.ProcessEpochClock.get());
        }
        else
        {
            output = PacketOutput.file(Path.of(to), io.tickbus.feed.itch.MoldUdp64Decoder.HEADER_LENGTH);
        }
        final ItchSimulator.Profile shape = parseProfile(profile);
        final long lingerNs = Durations.parseNanos(rerequestLinger);
        RerequestServer server = null;
        AgentRunner serverRunner = null;
        if (null != rerequestPort)
        {
            if (!UdpSource.isUdpUri(to) || rerequestPort < 1 || rerequestPort > 65535)
            {
                output.close();
                throw new IllegalArgumentException("--rerequest-port PORT (1..65535) serves UDP lines: --to udp://...");
            }
            try
            {
                server = new RerequestServer(new MoldUdp64History(65_536, 64 * 1024 * 1024), rerequestPort,
                    ItchSimulator.Context.MAX_PACKET_BYTES_DEFAULT);
            }
            catch (final RuntimeException ex)
            {
                output.close();
                throw ex;
            }
            serverRunner = new AgentRunner(new BackoffIdleStrategy(1, 1, 10_000, 200_000),
                (t) -> spec.commandLine().getErr().println("re-request server: " + t), null, server);
            AgentRunner.startOnThread(serverRunner);
        }
        final ItchSimulator.Context ctx = new ItchSimulator.Context()
            .profile(shape)
            .symbols(null != symbols ? symbols : ItchSimulator.Profile.DAY == shape ? 8_000 : 8)
            .rate(rateValue)
            .count(count)
            .seed(seed)
            .output(null == server ? output : server.recording(output));
        try (ItchSimulator simulator = new ItchSimulator(ctx);
            StopSignal stop = StopSignal.register())
        {
            while (!simulator.isDone() && !stop.isRequested())
            {
                idle.idle(simulator.doWork());
            }
            if (null != server)
            {
                final long lingerEnd = System.nanoTime() + lingerNs;
                while (System.nanoTime() < lingerEnd && !stop.isRequested())
                {
                    Thread.sleep(10);
                }
            }
            out.println("{\"packets\":" + simulator.packetsSent() + ",\"messages\":" + simulator.messagesSent() +
                ",\"nextSequence\":" + simulator.nextSequence() + linesJson(output) +
                (null == server ? "" : ",\"rerequest\":" + server.toJson()) + "}");
        }
        catch (final IllegalArgumentException ex)
        {
            output.close();
            throw ex;
        }
        finally
        {
            CloseHelper.close(serverRunner);
        }
        return TickbusCli.EXIT_OK;
    }

    static ItchSimulator.Profile parseProfile(final String text)
    {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT))
        {
            case "flat":
                return ItchSimulator.Profile.FLAT;
            case "day":
                return ItchSimulator.Profile.DAY;
            default:
                throw new IllegalArgumentException("invalid --profile '" + text + "', expected flat or day");
        }
    }

    /** The UDP lines: one output per --to, each lossy with its own seed when --loss is given. */
    private PacketOutput lines(final double lossFraction)
    {
        if (1 == tos.size() && 0 == lossFraction)
        {
            return PacketOutput.udp(tos.get(0));
        }
        final PacketOutput[] lines = new PacketOutput[tos.size()];
        for (int i = 0; i < lines.length; i++)
        {
            lines[i] = PacketOutput.lossy(PacketOutput.udp(tos.get(i)), lossFraction, seed + i + 1);
        }
        return PacketOutput.fanOut(lines);
    }

    /** {@code ,"lines":[{"to":"...","sent":N,"lost":N},...],"lostOnAll":N} for A/B or lossy runs, else "". */
    static String linesJson(final PacketOutput output)
    {
        if (!(output instanceof PacketOutput.FanOut fanOut))
        {
            return "";
        }
        final StringBuilder json = new StringBuilder(",\"lines\":[");
        for (int i = 0; i < fanOut.outputs(); i++)
        {
            final PacketOutput.Lossy line = (PacketOutput.Lossy)fanOut.output(i);
            json.append(0 == i ? "" : ",").append("{\"sent\":").append(line.packets()).append(",\"lost\":")
                .append(line.lost()).append('}');
        }
        return json.append("],\"lostOnAll\":").append(fanOut.lostOnAll()).toString();
    }

    static double parseLoss(final String text)
    {
        final String number = text.trim().endsWith("%") ? text.trim().substring(0, text.trim().length() - 1) :
            text.trim();
        try
        {
            final double percent = Double.parseDouble(number);
            if (!(percent >= 0 && percent <= 100))
            {
                throw new NumberFormatException();
            }
            return percent / 100;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("invalid --loss '" + text + "', expected a percentage 0..100, e.g. 2%");
        }
    }

    static long parseRate(final String text)
    {
        if ("max".equalsIgnoreCase(text.trim()))
        {
            return 0;
        }
        try
        {
            final long value = Long.parseLong(text.trim());
            if (value < 0)
            {
                throw new NumberFormatException();
            }
            return value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("invalid --rate '" + text + "', expected messages per second or max");
        }
    }
}
