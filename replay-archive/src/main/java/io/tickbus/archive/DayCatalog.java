package io.tickbus.archive;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The day catalog: for each trading day and stream, the {@link DaySegment}s of the Aeron recordings that hold
 * it, with their time indexes. Persisted beside the archive as {@value #FILE_NAME} (tab-separated text, one line
 * per segment) plus one binary index file per segment under {@value #INDEX_DIR}/; rebuilt from the archive's own
 * catalog by {@link TickbusArchive} when lost.
 * <p>
 * Threading: a catalog is used by one thread; the running archive's agent owns its instance and other threads
 * or processes {@link #load(Path)} their own copy from disk. Allocation: on load, store and when a segment
 * begins.
 */
public final class DayCatalog
{
    /** File name of the catalog inside the archive directory. */
    public static final String FILE_NAME = "tickbus-catalog.tsv";
    /** Directory of the time index files inside the archive directory. */
    public static final String INDEX_DIR = "tickbus-index";

    private static final String MAGIC = "tickbus-catalog";
    private static final int VERSION = 1;
    private static final String COLUMNS = "day\tstream\trecordingId\tsessionId\tstartPosition\tstopPosition\t" +
        "firstExchangeTime\tlastExchangeTime\tmessages\tclosed\tchannel";

    private final List<DaySegment> segments = new ArrayList<>();
    private final long granularityNs;
    private final TradingDayRule dayRule;

    /**
     * @param granularityNs time index bucket width.
     * @param dayRule how exchange times map to trading days.
     */
    public DayCatalog(final long granularityNs, final TradingDayRule dayRule)
    {
        this.granularityNs = granularityNs;
        this.dayRule = dayRule;
    }

    /** @return the time index bucket width in nanoseconds. */
    public long granularityNs()
    {
        return granularityNs;
    }

    /** @return the trading-day rule the catalog was built with. */
    public TradingDayRule dayRule()
    {
        return dayRule;
    }

    /** @return every segment, in the order they were recorded (unmodifiable). */
    public List<DaySegment> segments()
    {
        return Collections.unmodifiableList(segments);
    }

    /**
     * @param day trading day.
     * @param streamId stream id.
     * @return the segments of the day and stream in recording order; empty when none.
     */
    public List<DaySegment> segments(final LocalDate day, final int streamId)
    {
        final long epochDay = day.toEpochDay();
        final List<DaySegment> result = new ArrayList<>();
        for (final DaySegment segment : segments)
        {
            if (segment.epochDay == epochDay && segment.streamId == streamId)
            {
                result.add(segment);
            }
        }
        return result;
    }

    /**
     * @return one summary per (day, stream), ordered by day then stream.
     */
    public List<DaySummary> days()
    {
        final Map<String, DaySummary> byKey = new TreeMap<>();
        for (final DaySegment segment : segments)
        {
            final String key = segment.day() + "/" + String.format("%010d", segment.streamId);
            byKey.computeIfAbsent(key, (k) -> new DaySummary(segment.day(), segment.streamId)).add(segment);
        }
        return new ArrayList<>(byKey.values());
    }

    /**
     * @param recordingId a recording.
     * @return its last segment, or null when the catalog has none.
     */
    public DaySegment lastSegmentOf(final long recordingId)
    {
        DaySegment last = null;
        for (final DaySegment segment : segments)
        {
            if (segment.recordingId == recordingId)
            {
                last = segment;
            }
        }
        return last;
    }

    DaySegment newSegment(
        final long epochDay, final int streamId, final long recordingId, final int sessionId, final String channel,
        final long startPosition)
    {
        final DaySegment segment = new DaySegment(
            epochDay, streamId, recordingId, sessionId, channel, startPosition, new TimeIndex(granularityNs));
        segments.add(segment);
        return segment;
    }

    void remove(final DaySegment segment, final Path archiveDir) throws IOException
    {
        segments.remove(segment);
        Files.deleteIfExists(archiveDir.resolve(INDEX_DIR).resolve(segment.indexFileName()));
    }

    void removeRecording(final long recordingId)
    {
        segments.removeIf((s) -> s.recordingId == recordingId);
    }

    boolean isDirty()
    {
        for (final DaySegment segment : segments)
        {
            if (segment.dirty)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Write the changed index files and then the catalog file, each atomically.
     *
     * @param archiveDir the archive directory.
     * @throws IOException when the files cannot be written (the previous versions stay intact).
     */
    public void store(final Path archiveDir) throws IOException
    {
        final Path indexDir = archiveDir.resolve(INDEX_DIR);
        Files.createDirectories(indexDir);
        for (final DaySegment segment : segments)
        {
            if (segment.dirty)
            {
                segment.index.store(indexDir.resolve(segment.indexFileName()));
            }
        }
        final Path file = archiveDir.resolve(FILE_NAME);
        final Path tmp = archiveDir.resolve(FILE_NAME + ".tmp");
        try (BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))
        {
            out.write(MAGIC + " " + VERSION + " granularityNs=" + granularityNs + " zone=" + dayRule.zone().getId() +
                " roll=" + dayRule.roll());
            out.newLine();
            out.write(COLUMNS);
            out.newLine();
            for (final DaySegment s : segments)
            {
                out.write(s.day() + "\t" + s.streamId + "\t" + s.recordingId + "\t" + s.sessionId + "\t" +
                    s.startPosition + "\t" + s.stopPosition + "\t" + s.firstExchangeTime + "\t" + s.lastExchangeTime +
                    "\t" + s.messages + "\t" + (s.closed ? 1 : 0) + "\t" + s.channel);
                out.newLine();
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        for (final DaySegment segment : segments)
        {
            segment.dirty = false;
        }
    }

    /**
     * @param archiveDir an archive directory.
     * @return true when it holds a catalog file.
     */
    public static boolean exists(final Path archiveDir)
    {
        return Files.isRegularFile(archiveDir.resolve(FILE_NAME));
    }

    /**
     * Read a catalog and its index files. A missing or corrupt index file gives an empty index for its segment
     * (replays then start at the segment start and filter by time).
     *
     * @param archiveDir the archive directory.
     * @return the catalog.
     * @throws NoSuchFileException when there is no catalog file.
     * @throws IOException when it cannot be read or is not a Tickbus catalog.
     */
    public static DayCatalog load(final Path archiveDir) throws IOException
    {
        final Path file = archiveDir.resolve(FILE_NAME);
        final List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).startsWith(MAGIC + " "))
        {
            throw new IOException("not a Tickbus day catalog: " + file);
        }
        final String[] head = lines.get(0).split(" ");
        if (Integer.parseInt(head[1]) != VERSION)
        {
            throw new IOException("unsupported catalog version " + head[1] + " in " + file);
        }
        long granularity = 1_000_000_000L;
        String zone = "UTC";
        String roll = "00:00";
        for (int i = 2; i < head.length; i++)
        {
            final String[] kv = head[i].split("=", 2);
            switch (kv[0])
            {
                case "granularityNs" -> granularity = Long.parseLong(kv[1]);
                case "zone" -> zone = kv[1];
                case "roll" -> roll = kv[1];
                default ->
                {
                }
            }
        }
        final DayCatalog catalog = new DayCatalog(granularity, TradingDayRule.parse(zone, roll));
        final Path indexDir = archiveDir.resolve(INDEX_DIR);
        for (int lineNo = 2; lineNo < lines.size(); lineNo++)
        {
            final String line = lines.get(lineNo);
            if (line.isBlank())
            {
                continue;
            }
            final String[] f = line.split("\t", 11);
            if (f.length != 11)
            {
                throw new IOException("malformed catalog line " + (lineNo + 1) + " in " + file);
            }
            try
            {
                final DaySegment s = new DaySegment(
                    LocalDate.parse(f[0]).toEpochDay(), Integer.parseInt(f[1]), Long.parseLong(f[2]),
                    Integer.parseInt(f[3]), f[10], Long.parseLong(f[4]), new TimeIndex(granularity));
                s.stopPosition = Long.parseLong(f[5]);
                s.firstExchangeTime = Long.parseLong(f[6]);
                s.lastExchangeTime = Long.parseLong(f[7]);
                s.messages = Long.parseLong(f[8]);
                s.closed = "1".equals(f[9]);
                final Path indexFile = indexDir.resolve(s.indexFileName());
                if (Files.isRegularFile(indexFile))
                {
                    try
                    {
                        final TimeIndex loaded = TimeIndex.load(indexFile);
                        for (int i = 0; i < loaded.size(); i++)
                        {
                            if (loaded.position(i) < s.stopPosition)
                            {
                                s.index.onMessage(loaded.time(i), loaded.position(i));
                            }
                        }
                    }
                    catch (final IOException ignore)
                    {
                        // index rebuilt lazily: an empty index means replays filter from the segment start
                    }
                }
                catalog.segments.add(s);
            }
            catch (final RuntimeException ex)
            {
                throw new IOException("malformed catalog line " + (lineNo + 1) + " in " + file + ": " + ex, ex);
            }
        }
        return catalog;
    }

    /**
     * A trading day of one stream: totals over its segments.
     */
    public static final class DaySummary
    {
        private final LocalDate day;
        private final int streamId;
        private final List<DaySegment> segments = new ArrayList<>();
        private long messages;
        private long bytes;
        private long firstExchangeTime = Long.MAX_VALUE;
        private long lastExchangeTime;

        DaySummary(final LocalDate day, final int streamId)
        {
            this.day = day;
            this.streamId = streamId;
        }

        void add(final DaySegment segment)
        {
            segments.add(segment);
            messages += segment.messages;
            bytes += segment.bytes();
            if (segment.messages > 0)
            {
                firstExchangeTime = Math.min(firstExchangeTime, segment.firstExchangeTime);
                lastExchangeTime = Math.max(lastExchangeTime, segment.lastExchangeTime);
            }
        }

        /** @return trading day. */
        public LocalDate day()
        {
            return day;
        }

        /** @return stream id. */
        public int streamId()
        {
            return streamId;
        }

        /** @return segments in recording order. */
        public List<DaySegment> segments()
        {
            return Collections.unmodifiableList(segments);
        }

        /** @return messages. */
        public long messages()
        {
            return messages;
        }

        /** @return recorded bytes. */
        public long bytes()
        {
            return bytes;
        }

        /** @return first exchange time, epoch ns, 0 when empty. */
        public long firstExchangeTime()
        {
            return messages > 0 ? firstExchangeTime : 0;
        }

        /** @return last exchange time, epoch ns, 0 when empty. */
        public long lastExchangeTime()
        {
            return lastExchangeTime;
        }
    }
}
