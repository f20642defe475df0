package io.tickbus.tools;

import io.tickbus.archive.TradingDayRule;
import io.tickbus.archive.client.DayReplayer;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;

/**
 * The options that pick a part of a recorded day, shared by {@code replay}, {@code backtest} and {@code export}:
 * {@code --dir --day --stream [--from] [--to]}.
 */
final class RecordedDayOptions
{
    @Option(names = "--dir", paramLabel = "D",
        description = "Archive directory (default: ${sys:tickbus.archive.dir:-tickbus-archive}).")
    Path dir;

    @Option(names = "--day", paramLabel = "YYYY-MM-DD", required = true, description = "Recorded trading day.")
    String day;

    @Option(names = "--stream", paramLabel = "S", required = true, description = "Recorded stream id.")
    int stream;

    @Option(names = "--from", paramLabel = "HH:MM:SS", description = "First exchange time of day (inclusive).")
    String from;

    @Option(names = "--to", paramLabel = "HH:MM:SS", description = "End exchange time of day (exclusive).")
    String to;

    /**
     * @return the day, checked.
     */
    LocalDate day()
    {
        return ArchiveCommand.parseDay("--day", day);
    }

    /**
     * @return a replay context for the chosen day, stream and range, checked (bad values are usage errors).
     */
    DayReplayer.Context replayContext()
    {
        final LocalTime fromTime = null == from ? null : TradingDayRule.parseTimeOfDay(from);
        final LocalTime toTime = null == to ? null : TradingDayRule.parseTimeOfDay(to);
        if (null != fromTime && null != toTime && !fromTime.isBefore(toTime))
        {
            throw new IllegalArgumentException("--from " + fromTime + " is not before --to " + toTime);
        }
        return new DayReplayer.Context()
            .day(day())
            .streamId(stream)
            .from(fromTime)
            .to(toTime);
    }
}
