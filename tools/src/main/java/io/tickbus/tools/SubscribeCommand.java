package io.tickbus.tools;

import io.tickbus.client.BusSubscriber;
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
        "Subscribe to a stream and print its messages, or a JSON summary when it ends.",
        "Gaps and duplicates are counted by global sequence when messages are sequenced, else by",
        "(feed id, source sequence), over every message of the stream before the filters."},
    footer = {
        "",
        "Summary: {\"messages\":N,\"byTemplate\":{\"Trade\":N,...},\"firstGlobalSeq\":N,\"lastGlobalSeq\":N,",
        "          \"gaps\":N,\"duplicates\":N} (messages and byTemplate count what passed the filters).",
        "",
        "Examples:",
        "  tickbus subscribe --channel aeron:ipc --stream 1001",
        "  tickbus subscribe --channel aeron:ipc --stream 1001 --symbol AAPL --type Trade,TopOfBook --json",
        "  tickbus subscribe --channel 'aeron:udp?endpoint=224.0.1.1:40456|interface=127.0.0.1' --stream 1001 \\",
        "      --duration 30s --summary",
        "  tickbus subscribe --channel aeron:ipc --stream 2001 --count 1000000 --summary --driver-dir /dev/shm/tickbus"})
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

        try (DriverOptions.Connection connection = driver.connect("subscribe");
            BusSubscriber subscriber = new BusSubscriber(connection.aeron(), channel, streamId, printer);
            StopSignal stop = StopSignal.register();
            SequenceLog log = SequenceLog.open(seqLog))
        {
            printer.seqLog = log;
            final long deadlineNs = System.nanoTime() + durationNs;
            while (!stop.isRequested() && !printer.done && (0 == durationNs || System.nanoTime() - deadlineNs < 0))
            {
                final int work = subscriber.poll(64);
                if (0 == work)
                {
                    connection.checkAlive();
                }
                idle.idle(work);
            }
            if (output.summary)
            {
                out.println(printer.summary());
            }
            out.flush();
        }
        return TickbusCli.EXIT_OK;
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
