package io.tickbus.tools;

import io.tickbus.archive.TickbusArchive;
import io.tickbus.archive.client.SequencedSubscriber;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.ComponentErrors;
import io.tickbus.client.SequenceAccounting;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.InstrumentDirectory;
import io.tickbus.client.InstrumentFilter;
import io.tickbus.client.MarketDataListener;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.GapNoticeDecoder;
import io.tickbus.sbe.HeartbeatDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.TopOfBookDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradingStatusDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code tickbus subscribe}: receive a stream and print its messages (human or JSON lines) or a one-line JSON
 * summary with counts by template and the gaps and duplicates found by {@link SequenceAccounting}.
 * <p>
 * Threading: the command's thread polls. Allocation: none per message with {@code --summary}; printing allocates.
 */
@Command(
    name = "subscribe",
    mixinStandardHelpOptions = true,
    description = {
        "Subscribe to a stream and print or summarize its messages.",
        "Subscribe to a stream and print its messages, or a JSON summary when it",
        "ends. Gaps and duplicates are counted by global sequence when messages",
        "are sequenced, else by (feed id, source sequence), over every message of",
        "the stream before the filters.",
        "With --archive (a sequenced stream) it is a reliable subscriber: it",
        "delivers global sequences from --from-seq on, in order, exactly once,",
        "taking the first of the members' copies, and fetches whatever it missed",
        "(a gap, a pause, a late start) from the archives in turn, delivered in",
        "place with the replayed flag set."},
    footer = {
        "",
        "Summary: {\"messages\":N,\"byTemplate\":{\"Trade\":N,...},",
        "  \"firstGlobalSeq\":N,\"lastGlobalSeq\":N,\"gaps\":N,\"duplicates\":N}",
        "  (messages and byTemplate count what passed the filters); with",
        "  --archive also recovered, repairs, unrecovered, repeats, reconnects.",
        "",
        "A client that loses its media driver (this process paused past the",
        "client liveness timeout, e.g. SIGSTOP for 16 s) reconnects, says so in",
        "one line on stderr, and goes on; with --archive it recovers what it",
        "missed.",
        "",
        "Examples:",
        "  tickbus subscribe --channel aeron:ipc --stream 1001",
        "  tickbus subscribe --channel aeron:ipc --stream 1001 --symbol AAPL \\",
        "      --type Trade,TopOfBook --json",
        "  tickbus subscribe --stream 1001 --duration 30s --summary \\",
        "      --channel 'aeron:udp?endpoint=224.0.1.1:40456|interface=127.0.0.1'",
        "  tickbus subscribe --channel aeron:ipc --stream 2001 --count 1000000 \\",
        "      --summary --driver-dir /dev/shm/tickbus",
        "  tickbus subscribe --stream 2000 --embedded-driver --summary \\",
        "      --channel 'aeron:udp?endpoint=224.0.1.2:40500|interface=127.0.0.1' \\",
        "      --archive 127.0.0.1:45010 --archive 127.0.0.1:9004"})
public final class SubscribeCommand implements Callable<Integer>
{
    @Option(names = "--channel", required = true, paramLabel = "URI", description = "Aeron channel to subscribe to.")
    String channel;

    @Option(names = "--stream", required = true, paramLabel = "ID", description = "Stream id.")
    int streamId;

    @Option(names = "--symbol", paramLabel = "SYMBOL", split = ",",
        description = "Only these symbols (repeatable or comma separated); market-wide messages always pass.")
    List<String> symbols = new ArrayList<>();

    @Option(names = "--type", paramLabel = "TYPE", split = ",",
        description = "Only these message types, e.g. Trade,AddOrder (repeatable or comma separated).")
    List<String> types = new ArrayList<>();

    @Option(names = "--count", paramLabel = "N", description = "Stop after N messages that passed the filters.")
    long count;

    @Option(names = "--duration", paramLabel = "T", description = "Stop after this long, e.g. 30s, 5m.")
    String duration;

    @Option(names = "--archive", paramLabel = "HOST:PORT",
        description = "An archive's UDP control endpoint to recover the sequenced stream from (repeatable; tried " +
            "in turn). Makes this a reliable subscriber of a sequenced stream.")
    List<String> archives = new ArrayList<>();

    @Option(names = "--from-seq", paramLabel = "N", defaultValue = "1",
        description = "With --archive: first global sequence to deliver (default 1: the whole stream).")
    long fromSeq;

    @Option(names = "--archive-response-channel", paramLabel = "URI",
        defaultValue = SequencedSubscriber.Configuration.RESPONSE_CHANNEL_DEFAULT,
        description = "With --archive: where archive replies and replays reach this host (default ${DEFAULT-VALUE}).")
    String archiveResponseChannel;

    @Option(names = "--seq-log", paramLabel = "FILE", description = {"Append (globalSeq, feedId, sourceSeq) of every " +
        "sequenced message received, as three little-endian longs (for a checker)."})
    java.nio.file.Path seqLog;

    @ArgGroup(exclusive = true)
    Output output = new Output();

    @Mixin
    DriverOptions driver;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What to print: one of. */
    static final class Output
    {
        @Option(names = "--print", description = "Print each message in a human form (default).")
        boolean print;

        @Option(names = "--json", description = "Print each message as one line of JSON.")
        boolean json;

        @Option(names = "--summary", description = "Print only the JSON summary when the run ends.")
        boolean summary;
    }

    public Integer call()
    {
        CliChecks.channel("--channel", channel);
        CliChecks.notNegative("--count", count);
        final long durationNs = CliChecks.duration("--duration", duration);
        final boolean[] wantedTypes = new boolean[TemplateNames.maxTemplateId() + 1];
        for (final String type : types)
        {
            wantedTypes[TemplateNames.parse(type)] = true;
        }
        InstrumentFilter filter = null;
        for (final String symbol : symbols)
        {
            if (symbol.isBlank())
            {
                throw new IllegalArgumentException("--symbol must not be empty");
            }
            filter = null == filter ? new InstrumentFilter() : filter;
            filter.symbol(symbol);
        }
        driver.validate();

        final PrintWriter out = spec.commandLine().getOut();
        final Printer printer = new Printer(
            out, !output.summary, output.json, types.isEmpty() ? null : wantedTypes, filter, count);
        final IdleStrategy idle = new BackoffIdleStrategy(1, 1, 1_000, 1_000_000);

        if (!archives.isEmpty())
        {
            CliChecks.channel("--archive-response-channel", archiveResponseChannel);
            if (fromSeq < 1)
            {
                throw new IllegalArgumentException("--from-seq must be at least 1: " + fromSeq);
            }
        }
        final PrintWriter err = spec.commandLine().getErr();

        try (DriverOptions.Connection connection = driver.connect("subscribe");
            ComponentErrors errors = ComponentErrors.create(connection.aeron(), "subscribe-" + streamId,
                (ex) -> err.println("tickbus subscribe: archive: " + ex.getMessage()));
            Source source = archives.isEmpty() ? new LiveSource(channel, streamId, printer) :
                new ReliableSource(new SequencedSubscriber.Context()
                    .stream(channel, streamId)
                    .listener(printer)
                    .archiveEndpoints(archives)
                    .responseChannel(archiveResponseChannel)
                    .fromGlobalSeq(fromSeq)
                    .archiveSecret(TickbusArchive.Configuration.controlSecretFromEnvironment())
                    .errorHandler(errors.errorHandler()));
            StopSignal stop = StopSignal.register();
            SequenceLog log = SequenceLog.open(seqLog))
        {
            printer.seqLog = log;
            source.open(connection.aeron());
            final long deadlineNs = System.nanoTime() + durationNs;
            long lastLoopNs = System.nanoTime();
            long longestStallNs = 0;
            while (!stop.isRequested() && !printer.done && (0 == durationNs || System.nanoTime() - deadlineNs < 0))
            {
                final int work = source.poll(64);
                final long nowNs = System.nanoTime();
                if (nowNs - lastLoopNs > longestStallNs)
                {
                    longestStallNs = nowNs - lastLoopNs; // a SIGSTOP or a GC pause shows here
                }
                if (0 == work && connection.reconnect())
                {
                    err.println("tickbus subscribe: the Aeron client lost the media driver in " + connection.directory() +
                        " (this process stalled " + TimeUnit.NANOSECONDS.toMillis(longestStallNs) +
                        " ms, past the client liveness timeout); reconnected" +
                        (archives.isEmpty() ? ", messages sent meanwhile are lost" :
                        ", recovering what was missed from the archive"));
                    err.flush();
                    source.reconnect(connection.aeron());
                    longestStallNs = 0;
                }
                lastLoopNs = nowNs;
                idle.idle(work);
            }
            if (output.summary)
            {
                out.println(source.summary(printer.summary()));
            }
            out.flush();
        }
        return TickbusCli.EXIT_OK;
    }

    /** Where messages come from: a plain subscription, or the reliable subscriber of a sequenced stream. */
    private interface Source extends AutoCloseable
    {
        void open(io.aeron.Aeron aeron);

        int poll(int fragmentLimit);

        void reconnect(io.aeron.Aeron aeron);

        String summary(String printerSummary);

        void close();
    }

    private static final class LiveSource implements Source
    {
        private final String channel;
        private final int streamId;
        private final Printer printer;
        private BusSubscriber subscriber;
        private long reconnects;

        LiveSource(final String channel, final int streamId, final Printer printer)
        {
            this.channel = channel;
            this.streamId = streamId;
            this.printer = printer;
        }

        public void open(final io.aeron.Aeron aeron)
        {
            subscriber = new BusSubscriber(aeron, channel, streamId, printer);
        }

        public int poll(final int fragmentLimit)
        {
            return subscriber.poll(fragmentLimit);
        }

        public void reconnect(final io.aeron.Aeron aeron)
        {
            org.agrona.CloseHelper.quietClose(subscriber);
            reconnects++;
            open(aeron);
        }

        public String summary(final String printerSummary)
        {
            return 0 == reconnects ? printerSummary :
                printerSummary.substring(0, printerSummary.length() - 1) + ",\"reconnects\":" + reconnects + "}";
        }

        public void close()
        {
            org.agrona.CloseHelper.quietClose(subscriber);
        }
    }

    private static final class ReliableSource implements Source
    {
        private final SequencedSubscriber.Context context;
        private SequencedSubscriber subscriber;

        ReliableSource(final SequencedSubscriber.Context context)
        {
            this.context = context;
        }

        public void open(final io.aeron.Aeron aeron)
        {
            subscriber = new SequencedSubscriber(context.aeron(aeron));
        }

        public int poll(final int fragmentLimit)
        {
            return subscriber.poll(fragmentLimit);
        }

        public void reconnect(final io.aeron.Aeron aeron)
        {
            subscriber.reconnect(aeron);
        }

        public String summary(final String printerSummary)
        {
            return printerSummary.substring(0, printerSummary.length() - 1) +
                ",\"recovered\":" + subscriber.recoveredCount() +
                ",\"repairs\":" + subscriber.repairCount() +
                ",\"unrecovered\":" + subscriber.unrecoveredCount() +
                ",\"repeats\":" + subscriber.repeatCount() +
                ",\"archiveErrors\":" + subscriber.archiveErrorCount() +
                ",\"reconnects\":" + subscriber.reconnectCount() +
                ",\"nextGlobalSeq\":" + subscriber.nextGlobalSeq() + "}";
        }

        public void close()
        {
            org.agrona.CloseHelper.quietClose(subscriber);
        }
    }

    /**
     * Accounts for every message, filters, counts and prints what passes.
     */
    static final class Printer implements MarketDataListener
    {
        private final PrintWriter out;
        private final MessageFormatter formatter;
        private final InstrumentDirectory directory = new InstrumentDirectory();
        private final boolean[] wantedTypes;
        private final InstrumentFilter filter;
        private final long maxCount;
        private final long[] byTemplate = new long[TemplateNames.maxTemplateId() + 1];
        private final SequenceAccounting accounting = new SequenceAccounting();
        private long messages;
        private boolean accepted;
        private boolean done;
        SequenceLog seqLog;

        Printer(
            final PrintWriter out,
            final boolean printing,
            final boolean json,
            final boolean[] wantedTypes,
            final InstrumentFilter filter,
            final long maxCount)
        {
            this.out = out;
            this.formatter = printing ? new MessageFormatter(json, directory) : null;
            this.wantedTypes = wantedTypes;
            this.filter = filter;
            this.maxCount = maxCount;
        }

        public void onMessage(
            final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
        {
            accepted = false;
            if (done)
            {
                return;
            }
            accounting.onMessage(buffer, offset);
            if (null != seqLog)
            {
                seqLog.onMessage(buffer, offset);
            }
            if (null != wantedTypes && (templateId >= wantedTypes.length || !wantedTypes[templateId]))
            {
                return;
            }
            if (null != filter && templateId != InstrumentDefinitionDecoder.TEMPLATE_ID && !filter.accept(
                CommonBlock.feedId(buffer, offset), CommonBlock.instrumentId(buffer, offset)))
            {
                return;
            }
            accepted = true;
            if (templateId != InstrumentDefinitionDecoder.TEMPLATE_ID)
            {
                onAccepted(templateId);
            }
        }

        private void onAccepted(final int templateId)
        {
            messages++;
            if (templateId < byTemplate.length)
            {
                byTemplate[templateId]++;
            }
            if (maxCount > 0 && messages >= maxCount)
            {
                done = true;
            }
        }

        private void print(final CharSequence line)
        {
            if (null != formatter)
            {
                out.println(line);
            }
        }

        public void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
        {
            directory.onDefinition(msg);
            if (null != filter)
            {
                filter.onDefinition(msg);
                final var common = msg.common();
                accepted = accepted && filter.accept(common.feedId(), common.instrumentId());
            }
            if (accepted)
            {
                onAccepted(InstrumentDefinitionDecoder.TEMPLATE_ID);
                if (null != formatter)
                {
                    print(formatter.format(msg));
                }
            }
        }

        public void onAddOrder(final AddOrderDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onModifyOrder(final ModifyOrderDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onCancelOrder(final CancelOrderDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onExecuteOrder(final ExecuteOrderDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onPriceLevelUpdate(final PriceLevelUpdateDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onTrade(final TradeDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onTopOfBook(final TopOfBookDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onBookSnapshot(final BookSnapshotDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onTradingStatus(final TradingStatusDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onMarketStatistic(final io.tickbus.sbe.MarketStatisticDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onHeartbeat(final HeartbeatDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onGapNotice(final GapNoticeDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        public void onEndOfSession(final EndOfSessionDecoder msg)
        {
            if (accepted && null != formatter)
            {
                print(formatter.format(msg));
            }
        }

        String summary()
        {
            final StringBuilder sb = new StringBuilder(256);
            sb.append("{\"messages\":").append(messages).append(",\"byTemplate\":{");
            boolean first = true;
            for (int i = 1; i < byTemplate.length; i++)
            {
                if (byTemplate[i] > 0)
                {
                    sb.append(first ? "" : ",");
                    Json.appendString(sb, TemplateNames.name(i)).append(':').append(byTemplate[i]);
                    first = false;
                }
            }
            sb.append("},\"firstGlobalSeq\":").append(accounting.firstGlobalSeq())
                .append(",\"lastGlobalSeq\":").append(accounting.lastGlobalSeq())
                .append(",\"gaps\":").append(accounting.gaps())
                .append(",\"duplicates\":").append(accounting.duplicates())
                .append('}');
            return sb.toString();
        }
    }
}
