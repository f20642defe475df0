package io.tickbus.tools.stat;

import io.aeron.AeronCounters;
import io.tickbus.client.TickbusCounters;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The counters of a driver as the last refresh read them, with the rollups an operator reads first: one
 * {@link StreamStats} per (channel, stream id), one {@link ClusterStats} per cluster member.
 * <p>
 * Streams are keyed by {@link StreamStats#canonicalChannel(String) canonical channel} and stream id, so the
 * sessions of one stream (a replay's, a cluster log's after an election) fall on one rollup.
 * <p>
 * A refresh walks the counters' metadata directly (no client, nothing written). A counter's label is read and
 * parsed only when its registration id is new or its label's length changed, so a steady refresh allocates nothing
 * beyond the growth of its collections.
 * <p>
 * Threading: one thread per table (the live view and the Prometheus endpoint each own one). Allocation: per new
 * counter, stream or cluster only.
 */
public final class CounterTable
{
    private static final Comparator<StreamStats> STREAM_ORDER =
        Comparator.comparing((StreamStats s) -> s.channel).thenComparingInt((s) -> s.streamId);

    private final Long2ObjectHashMap<CounterRow> rowByRegistrationId = new Long2ObjectHashMap<>();
    private final ArrayList<CounterRow> rows = new ArrayList<>();
    private final ArrayList<CounterRow> recordings = new ArrayList<>();
    private final Map<String, StreamStats> streamByKey = new HashMap<>();
    private final ArrayList<StreamStats> streams = new ArrayList<>();
    private final Int2ObjectHashMap<ClusterStats> clusterById = new Int2ObjectHashMap<>();
    private final ArrayList<ClusterStats> clusters = new ArrayList<>();
    private final StringBuilder scratch = new StringBuilder(64);
    private long generation;
    private long refreshNs;
    private long previousRefreshNs;

    /**
     * Read every allocated counter and recompute the rollups.
     *
     * @param reader the driver's counters.
     * @param nowNs monotonic time of this refresh, for rates.
     */
    public void refresh(final CountersReader reader, final long nowNs)
    {
        generation++;
        previousRefreshNs = refreshNs;
        refreshNs = nowNs;
        rows.clear();
        recordings.clear();
        for (int i = 0, n = streams.size(); i < n; i++)
        {
            streams.get(i).reset();
        }
        for (int i = 0, n = clusters.size(); i < n; i++)
        {
            clusters.get(i).reset();
        }

        final AtomicBuffer meta = reader.metaDataBuffer();
        final int capacity = meta.capacity();
        for (int id = 0; CountersReader.metaDataOffset(id) + CountersReader.METADATA_LENGTH <= capacity; id++)
        {
            final int offset = CountersReader.metaDataOffset(id);
            final int state = meta.getIntVolatile(offset);
            if (CountersReader.RECORD_UNUSED == state)
            {
                break;
            }
            if (CountersReader.RECORD_ALLOCATED != state)
            {
                continue;
            }
            final CounterRow row = row(reader, meta, id, offset);
            row.generation = generation;
            rows.add(row);
            aggregate(row);
        }

        evict();
        boolean sort = false;
        for (int i = 0, n = streams.size(); i < n; i++)
        {
            final StreamStats stream = streams.get(i);
            stream.conclude();
            sort |= !stream.hasPrevious;
        }
        if (sort)
        {
            streams.sort(STREAM_ORDER);
        }
        for (int i = 0, n = recordings.size(); i < n; i++)
        {
            final CounterRow recording = recordings.get(i);
            if (null != recording.stream)
            {
                recording.stream.recordingLag(recording.sessionId, recording.value);
            }
        }
    }

    /** @return every allocated counter at the last refresh, in id order. */
    public List<CounterRow> rows()
    {
        return rows;
    }

    /** @return one rollup per (channel, stream id), ordered by channel then stream id. */
    public List<StreamStats> streams()
    {
        return streams;
    }

    /** @return one entry per cluster member whose consensus module counters are on this driver. */
    public List<ClusterStats> clusters()
    {
        return clusters;
    }

    /** @return the archive recording-position counters, in id order. */
    public List<CounterRow> recordings()
    {
        return recordings;
    }

    /** @return seconds since the previous refresh, 0 on the first. */
    public double secondsSincePrevious()
    {
        return 0 == previousRefreshNs ? 0 : (refreshNs - previousRefreshNs) / 1e9;
    }

    /**
     * @param current value now.
     * @param previous value at the previous refresh.
     * @param hasPrevious whether there was one.
     * @return rate per second, or NaN on the first refresh.
     */
    public double rate(final long current, final long previous, final boolean hasPrevious)
    {
        final double seconds = secondsSincePrevious();
        return seconds > 0 && hasPrevious ? (current - previous) / seconds : Double.NaN;
    }

    private CounterRow row(final CountersReader reader, final AtomicBuffer meta, final int id, final int offset)
    {
        final long registrationId = reader.getCounterRegistrationId(id);
        final int labelLength = meta.getInt(offset + CountersReader.LABEL_OFFSET);
        final long value = reader.getCounterValue(id);
        CounterRow row = rowByRegistrationId.get(registrationId);
        if (null == row || row.id != id || row.labelLength != labelLength)
        {
            final CounterRow fresh = new CounterRow();
            if (null != row && row.id == id)
            {
                fresh.previousValue = row.value;
                fresh.hasPrevious = true;
            }
            row = fresh;
            row.id = id;
            row.registrationId = registrationId;
            row.typeId = meta.getInt(offset + CountersReader.TYPE_ID_OFFSET);
            row.labelLength = labelLength;
            row.label = reader.getCounterLabel(id);
            parse(row, meta, offset + CountersReader.KEY_OFFSET);
            rowByRegistrationId.put(registrationId, row);
        }
        else
        {
            row.previousValue = row.value;
            row.hasPrevious = true;
        }
        row.value = value;
        return row;
    }

    private void parse(final CounterRow row, final AtomicBuffer meta, final int keyOffset)
    {
        final int typeId = row.typeId;
        final String label = row.label;
        row.section = CounterKinds.section(typeId);
        if (isAeronStreamCounter(typeId))
        {
            row.keyRegistrationId = meta.getLong(keyOffset);
            row.sessionId = meta.getInt(keyOffset + 8);
            row.streamId = meta.getInt(keyOffset + 12);
            row.channel = token(label, 3);
        }
        else if (AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID == typeId)
        {
            row.recordingId = meta.getLong(keyOffset);
            row.sessionId = meta.getInt(keyOffset + 8);
            row.streamId = parseInt(token(label, 2));
            row.channel = token(label, 3);
        }
        else if (typeId >= AeronCounters.CLUSTER_CONSENSUS_MODULE_STATE_TYPE_ID &&
            typeId <= AeronCounters.CLUSTER_SESSION_TYPE_ID)
        {
            row.clusterId = meta.getInt(keyOffset);
        }
        else if (CounterKinds.isTickbus(typeId))
        {
            row.channel = CounterKinds.word(label, "channel=");
            row.streamId = parseInt(CounterKinds.word(label, "stream="));
        }
        if (null != row.channel && CounterRow.NO_STREAM != row.streamId)
        {
            row.stream = stream(row.channel, row.streamId);
        }
        row.key = meta.getInt(keyOffset);
        row.metric = PrometheusMetrics.forCounter(typeId, row.key, label);
        row.prometheusLabels = null == row.metric ? "" : PrometheusEndpoint.labels(row);
    }

    private void aggregate(final CounterRow row)
    {
        final StreamStats stream = row.stream;
        if (null != stream)
        {
            stream.generation = generation;
            final long value = row.value;
            switch (row.typeId)
            {
                case TickbusCounters.PUBLISHER_PUBLISHED:
                    stream.tickbusPublishers++;
                    stream.published += value;
                    break;
                case TickbusCounters.PUBLISHER_BACK_PRESSURED:
                case AeronCounters.DRIVER_SENDER_BPE_TYPE_ID:
                    stream.backPressure += value;
                    break;
                case TickbusCounters.PUBLISHER_NOT_CONNECTED:
                case TickbusCounters.PUBLISHER_DROPPED:
                case TickbusCounters.PUBLISHER_CLOSED:
                case TickbusCounters.PUBLISHER_MAX_POSITION_EXCEEDED:
                    stream.drops += value;
                    break;
                case TickbusCounters.SUBSCRIBER_RECEIVED:
                    stream.tickbusSubscribers++;
                    stream.received += value;
                    break;
                case TickbusCounters.SUBSCRIBER_MALFORMED:
                    stream.malformed += value;
                    break;
                case TickbusCounters.SUBSCRIBER_GAPS:
                    stream.gaps += value;
                    break;
                case TickbusCounters.SUBSCRIBER_REPEATS:
                    stream.repeats += value;
                    break;
                case AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID:
                    stream.publications.add(row.keyRegistrationId);
                    break;
                case AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID:
                    stream.subscriptions.add(row.keyRegistrationId);
                    stream.position(row.sessionId, value);
                    break;
                case AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID:
                case AeronCounters.DRIVER_RECEIVER_POS_TYPE_ID:
                case AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID:
                    stream.position(row.sessionId, value);
                    break;
                default:
                    break;
            }
        }

        if (AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID == row.typeId)
        {
            recordings.add(row);
            if (null != stream)
            {
                stream.recording(row.value);
            }
        }
        else if (CounterKinds.Section.CLUSTER == row.section && row.typeId < TickbusCounters.PUBLISHER_PUBLISHED)
        {
            cluster(row);
        }
    }

    private void cluster(final CounterRow row)
    {
        final int typeId = row.typeId;
        if (AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID != typeId &&
            AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID != typeId &&
            AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID != typeId &&
            AeronCounters.CLUSTER_CONSENSUS_MODULE_STATE_TYPE_ID != typeId &&
            AeronCounters.CLUSTER_LEADERSHIP_TERM_ID_TYPE_ID != typeId &&
            AeronCounters.CLUSTER_ELECTION_COUNT_TYPE_ID != typeId)
        {
            return;
        }
        ClusterStats cluster = clusterById.get(row.clusterId);
        if (null == cluster)
        {
            cluster = new ClusterStats(row.clusterId);
            clusterById.put(row.clusterId, cluster);
            clusters.add(cluster);
            clusters.sort(Comparator.comparingInt(ClusterStats::clusterId));
        }
        cluster.generation = generation;
        switch (typeId)
        {
            case AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID -> cluster.role = row.value;
            case AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID -> cluster.commitPosition = row.value;
            case AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID -> cluster.electionState = row.value;
            case AeronCounters.CLUSTER_CONSENSUS_MODULE_STATE_TYPE_ID -> cluster.moduleState = row.value;
            case AeronCounters.CLUSTER_LEADERSHIP_TERM_ID_TYPE_ID -> cluster.leadershipTermId = row.value;
            default -> cluster.elections = row.value;
        }
    }

    private StreamStats stream(final String rawChannel, final int streamId)
    {
        final String channel = StreamStats.canonicalChannel(rawChannel);
        scratch.setLength(0);
        final String key = scratch.append(streamId).append(' ').append(channel).toString();
        StreamStats stream = streamByKey.get(key);
        if (null == stream)
        {
            stream = new StreamStats(channel, streamId);
            stream.generation = generation;
            streamByKey.put(key, stream);
            streams.add(stream);
        }
        return stream;
    }

    private void evict()
    {
        final Iterator<CounterRow> rowIterator = rowByRegistrationId.values().iterator();
        while (rowIterator.hasNext())
        {
            if (rowIterator.next().generation != generation)
            {
                rowIterator.remove();
            }
        }
        for (int i = streams.size() - 1; i >= 0; i--)
        {
            final StreamStats stream = streams.get(i);
            if (stream.generation != generation)
            {
                streams.remove(i);
                streamByKey.remove(stream.streamId + " " + stream.channel);
            }
        }
        for (int i = clusters.size() - 1; i >= 0; i--)
        {
            final ClusterStats cluster = clusters.get(i);
            if (cluster.generation != generation)
            {
                clusters.remove(i);
                clusterById.remove(cluster.clusterId);
            }
        }
    }

    private static boolean isAeronStreamCounter(final int typeId)
    {
        switch (typeId)
        {
            case AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID:
            case AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID:
            case AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID:
            case AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID:
            case AeronCounters.DRIVER_RECEIVER_POS_TYPE_ID:
            case AeronCounters.DRIVER_SENDER_LIMIT_TYPE_ID:
            case AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID:
            case AeronCounters.DRIVER_SENDER_BPE_TYPE_ID:
                return true;
            default:
                return false;
        }
    }

    /**
     * @param label an Aeron positional label, {@code name: a b c d ...}.
     * @param index which space-separated token after the colon.
     * @return the token, or null.
     */
    static String token(final String label, final int index)
    {
        final int colon = label.indexOf(": ");
        if (colon < 0)
        {
            return null;
        }
        int start = colon + 2;
        for (int i = 0; i < index; i++)
        {
            final int space = label.indexOf(' ', start);
            if (space < 0)
            {
                return null;
            }
            start = space + 1;
        }
        final int end = label.indexOf(' ', start);
        return start < label.length() ? label.substring(start, end < 0 ? label.length() : end) : null;
    }

    private static int parseInt(final String text)
    {
        if (null == text)
        {
            return CounterRow.NO_STREAM;
        }
        try
        {
            return Integer.parseInt(text);
        }
        catch (final NumberFormatException ex)
        {
            return CounterRow.NO_STREAM;
        }
    }
}
