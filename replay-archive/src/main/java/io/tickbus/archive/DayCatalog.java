package io.tickbus.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The day catalog: for each trading day and stream, the {@link DaySegment}s of the Aeron recordings that hold
 * it, with their time indexes. Persisted beside the archive as {@value #FILE_NAME} (tab-separated text, one line
 * per segment) plus one binary index file per segment under {@value #INDEX_DIR}/; rebuilt from the archive's own
 * catalog by {@link TickbusArchive} when lost. Every file is written atomically and durably ({@link DurableFiles}).
 * <p>
 * Segments are kept in recording order: by the recording's start time, then start position, then recording id.
 * The order never depends on the order in which the catalog agent indexed them, so a rebuilt catalog equals the
 * live one, and a day of a stream held by several recordings (publisher restarts, failovers) replays in the
 * order it was recorded. Several recordings of one sequenced stream at once (several sequencer members) carry the
 * same global sequences: {@link io.tickbus.archive.client.DayReplayer} replays them in this order and drops the
 * repeats.
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
    private static final int VERSION = 2;
    private static final int V1_FIELDS = 11;
    private static final int V2_FIELDS = 14;
    private static final String COLUMNS = "day\tstream\trecordingId\tsessionId\tstartPosition\tstopPosition\t" +
        "firstExchangeTime\tlastExchangeTime\tmessages\tclosed\trecordingStartTime\tfirstGlobalSeq\t" +
        "lastGlobalSeq\tchannel";
    private static final Comparator<DaySegment> RECORDING_ORDER = Comparator
        .comparingLong((DaySegment s) -> s.recordingStartTime)
        .thenComparingLong((s) -> s.startPosition)
        .thenComparingLong((s) -> s.recordingId);

    /** Global sequences between the entries of a segment's global-sequence index. */
    public static final int SEQ_INDEX_INTERVAL = TimeIndex.SEQ_INDEX_INTERVAL;

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

    /** @return every segment, in recording order: recording start time, start position, id (unmodifiable). */
    public List<DaySegment> segments()
    {
        return Collections.unmodifiableList(segments);
    }

    /**
     * @param day trading day.
     * @param streamId stream id.
     * @return the segments of the day and stream in recording order (start time, start position, recording id);
     * empty when none.
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
     * @param streamId stream id.
     * @return messages recorded of the stream over every day and recording.
     */
    public long messages(final int streamId)
    {
        long messages = 0;
        for (final DaySegment segment : segments)
        {
            if (segment.streamId == streamId)
            {
                messages += segment.messages();
            }
        }
        return messages;
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

    /**
     * Where to start a replay of a stream so that a global sequence is among the first messages replayed: the
     * earliest segment (in recording order) whose global sequences span it, and the position of the last
     * global-sequence index entry at or below it (a frame boundary taken from a replayed header, at most
     * {@link #SEQ_INDEX_INTERVAL} sequences before it), or the segment's start.
     *
     * @param streamId recorded stream id.
     * @param globalSeq global sequence wanted, &gt; 0.
     * @return the segment and position, or null when no segment of the stream spans the sequence.
     */
    public SeqPosition findGlobalSeq(final int streamId, final long globalSeq)
    {
        if (globalSeq <= 0)
        {
            return null;
        }
        for (final DaySegment s : segments)
        {
            if (s.streamId == streamId && s.firstGlobalSeq > 0 && s.firstGlobalSeq <= globalSeq &&
                globalSeq <= s.lastGlobalSeq)
            {
                return new SeqPosition(s, s.index.startPositionForGlobalSeq(globalSeq, s.startPosition));
            }
        }
        return null;
    }

    /**
     * Where a global sequence can be replayed from.
     *
     * @param segment the segment holding it.
     * @param position a frame boundary in the segment at or before its message.
     */
    public record SeqPosition(DaySegment segment, long position)
    {
        /** @return the recording to replay. */
        public long recordingId()
        {
            return segment.recordingId;
        }
    }

    DaySegment newSegment(
        final long epochDay, final int streamId, final long recordingId, final int sessionId, final String channel,
        final long recordingStartTime, final long startPosition)
    {
        final DaySegment segment = new DaySegment(
            epochDay, streamId, recordingId, sessionId, channel, startPosition, new TimeIndex(granularityNs));
        segment.recordingStartTime = recordingStartTime;
        insert(segment);
        return segment;
    }

    /**
     * The archive reported a recording's start time: segments loaded from a catalog written without it learn it
     * and move to their place in recording order.
     */
    void recordingStarted(final long recordingId, final long recordingStartTime)
    {
        boolean changed = false;
        for (final DaySegment s : segments)
        {
            if (s.recordingId == recordingId && s.recordingStartTime != recordingStartTime)
            {
                s.recordingStartTime = recordingStartTime;
                s.dirty = true;
                changed = true;
            }
        }
        if (changed)
        {
            segments.sort(RECORDING_ORDER);
        }
    }

    private void insert(final DaySegment segment)
    {
        int at = segments.size();
        while (at > 0 && RECORDING_ORDER.compare(segments.get(at - 1), segment) > 0)
        {
            at--;
        }
        segments.add(at, segment);
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
        DurableFiles.createDirectory(indexDir);
        for (final DaySegment segment : segments)
        {
            if (segment.dirty)
            {
                segment.index.store(indexDir.resolve(segment.indexFileName()));
            }
        }
        final StringBuilder out = new StringBuilder(256 + 128 * segments.size());
        out.append(MAGIC + " " + VERSION + " granularityNs=" + granularityNs + " zone=" + dayRule.zone().getId() +
            " roll=" + dayRule.roll()).append('\n');
        out.append(COLUMNS).append('\n');
        for (final DaySegment s : segments)
        {
            out.append(s.day()).append('\t').append(s.streamId).append('\t').append(s.recordingId).append('\t')
                .append(s.sessionId).append('\t').append(s.startPosition).append('\t').append(s.stopPosition)
                .append('\t').append(s.firstExchangeTime).append('\t').append(s.lastExchangeTime).append('\t')
                .append(s.messages).append('\t').append(s.closed ? 1 : 0).append('\t').append(s.recordingStartTime)
                .append('\t').append(s.firstGlobalSeq).append('\t').append(s.lastGlobalSeq).append('\t')
                .append(s.channel).append('\n');
        }
        DurableFiles.writeAtomically(archiveDir.resolve(FILE_NAME), out.toString().getBytes(StandardCharsets.UTF_8));
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
        final int version = Integer.parseInt(head[1]);
        if (version != 1 && version != VERSION)
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
            final int fields = 1 == version ? V1_FIELDS : V2_FIELDS;
            final String[] f = line.split("\t", fields);
            if (f.length != fields)
            {
                throw new IOException("malformed catalog line " + (lineNo + 1) + " in " + file);
            }
            try
            {
                final DaySegment s = new DaySegment(
                    LocalDate.parse(f[0]).toEpochDay(), Integer.parseInt(f[1]), Long.parseLong(f[2]),
                    Integer.parseInt(f[3]), f[fields - 1], Long.parseLong(f[4]), new TimeIndex(granularity));
                if (1 != version)
                {
                    s.recordingStartTime = Long.parseLong(f[10]);
                    s.firstGlobalSeq = Long.parseLong(f[11]);
                    s.lastGlobalSeq = Long.parseLong(f[12]);
                }
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
                        for (int i = 0; i < loaded.seqEntries(); i++)
                        {
                            if (loaded.seqPosition(i) < s.stopPosition)
                            {
                                s.index.onSequenced(loaded.seq(i), loaded.seqPosition(i));
                            }
                        }
                    }
                    catch (final IOException ignore)
                    {
                        // index rebuilt lazily: an empty index means replays filter from the segment start
                    }
                }
                catalog.insert(s);
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

        /** @return segments in recording order (start time, start position, recording id). */
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
