package io.tickbus.tools;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.PacketSource;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.feed.itch.ItchTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/**
 * {@code tickbus parse}: decode and normalize a venue file offline (nothing is published) and report what is in
 * it: packets, heartbeats, messages by the venue's own type codes, malformed input, sequence gaps, first and last
 * exchange time. This is how an operator checks a capture.
 * <p>
 * Threading: the command's thread. Allocation: none per message.
 */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
        "Parse a venue capture or file offline and report its contents.",
        "Files: pcap / pcapng (plain or gzip) for every venue; for itch5 also",
        "NASDAQ's binary day files (2-byte length per message, plain or gzip)."},
    footer = {
        "",
        "Summary (--summary), one line:",
        "  {\"packets\":N,\"heartbeats\":N,\"messages\":N,\"malformed\":N,\"gaps\":N,",
        "   \"byType\":{\"A\":N,...},\"firstTimestamp\":T,\"lastTimestamp\":T}",
        "  packets: UDP datagrams (captures) or records (ITCH day files);",
        "  byType: the venue's type codes; timestamps: epoch ns, 0 when none.",
        "ITCH trading date: --date, else YYYYMMDD or MMDDYYYY in the file name,",
        "else the first capture timestamp's date in New York, else today.",
        "",
        "Examples:",
        "  tickbus parse --venue itch5 v5.0.20230822_AddOrderNoMPID.pcap --summary",
        "  tickbus parse --venue itch5 08222023.NASDAQ_ITCH50.gz --summary",
        "  tickbus parse --venue iex-tops 20180127_IEXTP1_TOPS1.6.pcap.gz --summary",
        "  tickbus parse --venue itch5 capture.pcap --date 2023-08-22 --errors 20"})
public final class ParseCommand implements Callable<Integer>
{
    @Option(names = "--venue", required = true, paramLabel = "VENUE",
        description = "itch5, iex-tops, iex-deep or cme-mdp3.")
    String venue;

    @Parameters(index = "0", paramLabel = "FILE", description = "Capture or venue file.")
    Path file;

    @Option(names = "--summary", description = "Print only the one-line JSON summary.")
    boolean summary;

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Trading date (ITCH timestamps count from "
        + "its midnight in New York).")
    String date;

    @Option(names = "--errors", paramLabel = "N", defaultValue = "10",
        description = "Print the first N malformed-input reports to stderr (default 10, 0 for none).")
    int errors;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public Integer call() throws Exception
    {
        Venues.validate(venue);
        final LocalDate option = parseDate(date);
        if (!Files.exists(file))
        {
            throw new IllegalArgumentException("file not found: " + file);
        }
        if (errors < 0)
        {
            throw new IllegalArgumentException("--errors must be >= 0");
        }
        final LocalDate tradingDate = ItchTime.resolve(option, file, FeedHandlerAgent.firstCaptureTimeNs(file));
        final ParseSummary stats = new ParseSummary(errors);
        final DecoderContext ctx = new DecoderContext()
            .stats(stats)
            .tradingDate(tradingDate)
            .sink((buffer, offset, length) -> 1);
        try (PacketSource source = Venues.openFile(venue, file, stats, tradingDate))
        {
            final PacketDecoder decoder = Venues.newDecoder(venue, source.framing(), ctx);
            while (source.next())
            {
                decoder.onPacket(source.buffer(), source.offset(), source.length(), source.timeNs(),
                    source.packetNumber(), source.fileOffset());
            }
            decoder.onEndOfInput();
        }

        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        for (final String reason : stats.malformedReasons())
        {
            err.println("tickbus parse: malformed: " + reason);
        }
        if (stats.malformed() > stats.malformedReasons().size() && errors > 0)
        {
            err.println("tickbus parse: ... " + (stats.malformed() - stats.malformedReasons().size()) + " more");
        }
        if (!summary)
        {
            out.println("file:       " + file);
            out.println("venue:      " + venue + " (trading date " + tradingDate + ")");
            out.println("packets:    " + stats.packets() + " (heartbeats " + stats.heartbeats() + ")");
            out.println("messages:   " + stats.messages());
            out.println("malformed:  " + stats.malformed());
            out.println("gaps:       " + stats.gaps() + " (" + stats.missingSequences() + " sequence numbers missing)");
        }
        out.println(stats.toJson());
        out.flush();
        return TickbusCli.EXIT_OK;
    }

    static LocalDate parseDate(final String text)
    {
        if (null == text)
        {
            return null;
        }
        try
        {
            return LocalDate.parse(text);
        }
        catch (final DateTimeParseException ex)
        {
            throw new IllegalArgumentException("invalid --date '" + text + "', expected YYYY-MM-DD");
        }
    }
}
