package io.tickbus.tools.stat;

import io.aeron.AeronCounters;
import io.tickbus.client.TickbusCounters;
import io.tickbus.feed.FeedCounters;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exposition of {@link PrometheusEndpoint} over counters laid out as a driver lays them out (an Agrona
 * {@link CountersManager} on plain buffers, no driver): names and units, one series per label set, internal channels
 * summed, no session ids, unlisted counters.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PrometheusExpositionTest
{
    private final UnsafeBuffer meta = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final UnsafeBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024));
    private final CountersManager counters = new CountersManager(meta, values);
    private final CounterTable table = new CounterTable();
    private long registrationId = 100;

    @BeforeEach
    void setUp()
    {
        // a Tickbus stream: one publication (session 5), two subscribers, recorded by the archive
        position(AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID, "pub-pos (exclusive)", 5, 1001, "aeron:ipc", 1000);
        counter(TickbusCounters.PUBLISHER_PUBLISHED, "tickbus-pub published: channel=aeron:ipc stream=1001", 10);
        counter(TickbusCounters.SUBSCRIBER_RECEIVED, "tickbus-sub received: channel=aeron:ipc stream=1001", 10);
        counter(TickbusCounters.SUBSCRIBER_RECEIVED, "tickbus-sub received: channel=aeron:ipc stream=1001", 7);
        recording(0, 5, 1001, "aeron:ipc", 600);
        // an archive replay: two sessions, each with its session id in the channel
        position(AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID, "pub-pos (exclusive)", 11, 710190,
            "aeron:ipc?term-length=64k|session-id=11|sparse=true", 300);
        position(AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID, "pub-pos (exclusive)", 12, 710190,
            "aeron:ipc?term-length=64k|session-id=12|sparse=true", 200);
        // a driver system counter in nanoseconds, a counter type with no name, a feed counter not listed yet
        system(AeronCounters.SYSTEM_COUNTER_ID_CONDUCTOR_MAX_CYCLE_TIME, "Conductor max cycle time in ns", 1_500_000);
        counter(AeronCounters.DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID, "rcv-local-sockaddr: 7 127.0.0.1:40001", 1);
        counter(io.tickbus.feed.LineCounters.LINE_DOWN_TYPE_ID,
            "tickbus-feed line down: itch5 feed 1 line B (udp://127.0.0.1:41001)", 2);
        counter(FeedCounters.HEARTBEATS_TYPE_ID + 13, "tickbus-feed line-down: itch5 A", 1);
        counter(FeedCounters.HEARTBEATS_TYPE_ID + 13, "tickbus-feed line-down: itch5 B", 0);
        // the recovery counters of a feed with a re-request endpoint
        counter(io.tickbus.feed.RecoveryCounters.GIVEN_UP_TYPE_ID, "tickbus-feed gaps given up: itch5 feed 1", 5);
        counter(io.tickbus.feed.RecoveryCounters.GIVEN_UP_HOLD_FULL_TYPE_ID,
            "tickbus-feed gaps given up on a full hold: itch5 feed 1", 3);
        counter(io.tickbus.feed.RecoveryCounters.DEFERRED_TYPE_ID,
            "tickbus-feed packets deferred from a full hold: itch5 feed 1", 40);
        table.refresh(counters, 1);
    }

    @Test
    void internalChannelsAddUpToOneSeriesPerStreamWithoutSessionIds()
    {
        final String body = PrometheusEndpoint.render(table, 0);
        final String internal = "{channel=\"internal\",stream=\"710190\"} 500\n";
        assertTrue(body.contains("\naeron_publisher_position_bytes" + internal), body);
        assertTrue(body.contains("\ntickbus_stream_bytes_total" + internal), body);
        assertFalse(body.contains("session-id"), body);
        assertFalse(body.contains("\"11\"") || body.contains("\"12\""), "no session ids: " + body);
    }

    @Test
    void countersOnOneLabelSetAreSummed()
    {
        final String body = PrometheusEndpoint.render(table, 0);
        final String labels = "{channel=\"aeron:ipc\",stream=\"1001\"} ";
        assertTrue(body.contains("\ntickbus_subscriber_received_total" + labels + "17\n"), body);
        assertTrue(body.contains("\ntickbus_stream_received_total" + labels + "17\n"), body);
        assertTrue(body.contains("\ntickbus_stream_published_total" + labels + "10\n"), body);
    }

    @Test
    void recordingPositionAndLagPerStream()
    {
        final String body = PrometheusEndpoint.render(table, 0);
        final String labels = "{channel=\"aeron:ipc\",stream=\"1001\"} ";
        assertTrue(body.contains("\ntickbus_archive_recordings" + labels + "1\n"), body);
        assertTrue(body.contains("\ntickbus_archive_recording_position_bytes" + labels + "600\n"), body);
        assertTrue(body.contains("\ntickbus_archive_recording_lag_bytes" + labels + "400\n"), body);
        assertFalse(body.contains("recording_id"), body);
    }

    @Test
    void baseUnitsHelpAndType()
    {
        final String body = PrometheusEndpoint.render(table, 2500);
        assertTrue(body.contains("\naeron_driver_conductor_max_cycle_time_seconds 0.0015\n"), body);
        assertTrue(body.contains("\ntickbus_driver_heartbeat_age_seconds 2.5\n"), body);
        assertTrue(body.contains("# TYPE aeron_driver_conductor_max_cycle_time_seconds gauge\n"), body);
        assertTrue(body.contains("# HELP aeron_driver_conductor_max_cycle_time_seconds "), body);
        for (final String line : body.split("\n"))
        {
            if (!line.startsWith("#"))
            {
                final String name = line.split("[{ ]")[0];
                assertTrue(body.contains("# HELP " + name + " ") && body.contains("# TYPE " + name + " "), line);
            }
        }
    }

    @Test
    void anABLineCounterIsLabelledByFeedAndLineWithoutItsAddress()
    {
        final String body = PrometheusEndpoint.render(table, 0);
        assertTrue(body.contains("# TYPE tickbus_feed_line_down_total counter\n"), body);
        assertTrue(body.contains("\ntickbus_feed_line_down_total{feed=\"itch5 feed 1\",line=\"B\"} 2\n"), body);
        assertFalse(body.contains("41001"), "no address in a label: " + body);
    }

    @Test
    void gapsGivenUpOnAFullHoldAndDeferredPacketsHaveTheirOwnNames()
    {
        final String body = PrometheusEndpoint.render(table, 0);
        final String feed = "{feed=\"itch5 feed 1\"} ";
        assertTrue(body.contains("\ntickbus_feed_gaps_given_up_total" + feed + "5\n"), body);
        assertTrue(body.contains("\ntickbus_feed_gaps_given_up_hold_full_total" + feed + "3\n"), body);
        assertTrue(body.contains("\ntickbus_feed_hold_deferred_packets_total" + feed + "40\n"), body);
        assertTrue(body.contains("# TYPE tickbus_feed_gaps_given_up_hold_full_total counter\n"), body);
    }

    @Test
    void unlistedTickbusCounterIsNamedFromItsLabelAndOthersAreCountedOut()
    {
        final String body = PrometheusEndpoint.render(table, 0);
        assertTrue(body.contains("# TYPE tickbus_feed_line_down untyped\n"), body);
        assertEquals(body.indexOf("# TYPE tickbus_feed_line_down "), body.lastIndexOf("# TYPE tickbus_feed_line_down "),
            "one family for both counters: " + body);
        assertTrue(body.contains("\ntickbus_feed_line_down{feed=\"itch5 A\"} 1\n"), body);
        assertTrue(body.contains("\ntickbus_feed_line_down{feed=\"itch5 B\"} 0\n"), body);
        assertTrue(body.contains("\ntickbus_stat_unexported_counters{type_id=\"" +
            AeronCounters.DRIVER_LOCAL_SOCKET_ADDRESS_STATUS_TYPE_ID + "\"} 1\n"), body);
        assertFalse(body.contains("127.0.0.1:40001"), body);
    }

    @Test
    void canonicalChannelDropsOnlyPerSessionParameters()
    {
        assertEquals("aeron:ipc", StreamStats.canonicalChannel("aeron:ipc"));
        assertEquals("aeron:ipc", StreamStats.canonicalChannel("aeron:ipc?session-id=-12"));
        assertEquals("aeron:ipc?term-length=64k|sparse=true",
            StreamStats.canonicalChannel("aeron:ipc?term-length=64k|session-id=11|sparse=true"));
        assertEquals("aeron:udp?endpoint=127.0.0.1:20700|linger=5s", StreamStats.canonicalChannel(
            "aeron:udp?endpoint=127.0.0.1:20700|init-term-id=4|term-id=9|term-offset=64|linger=5s"));
        assertEquals("aeron:udp?endpoint=127.0.0.1:20700|alias=my-session-id=x",
            StreamStats.canonicalChannel("aeron:udp?endpoint=127.0.0.1:20700|alias=my-session-id=x"));
    }

    @Test
    void everyListedNameFollowsTheConventions()
    {
        final Set<String> names = new HashSet<>();
        for (final PrometheusMetric metric : PrometheusMetrics.all())
        {
            final String name = metric.name();
            assertTrue(names.add(name), "unique: " + name);
            assertTrue(name.matches("(tickbus|aeron)_[a-z0-9_]+"), name);
            assertFalse(name.endsWith("_count") || name.contains("_in_ns") || name.matches(".*_(ns|ms|us)(_.*)?"),
                name);
            assertEquals(PrometheusMetric.Type.COUNTER == metric.type(), name.endsWith("_total"), name);
            assertFalse(metric.help().isBlank(), name);
            if (1 != metric.divisor())
            {
                assertTrue(name.endsWith("_seconds") || name.endsWith("_seconds_total"), name);
            }
        }
    }

    private void counter(final int typeId, final String label, final long value)
    {
        final int id = counters.allocate(label, typeId);
        counters.setCounterValue(id, value);
        counters.setCounterRegistrationId(id, registrationId++);
    }

    private void system(final int systemCounterId, final String label, final long value)
    {
        final int id = counters.allocate(label, AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID,
            (key) -> key.putInt(0, systemCounterId));
        counters.setCounterValue(id, value);
        counters.setCounterRegistrationId(id, registrationId++);
    }

    private void position(
        final int typeId, final String name, final int sessionId, final int streamId, final String channel,
        final long value)
    {
        final long registration = registrationId++;
        final int id = counters.allocate(name + ": " + registration + " " + sessionId + " " + streamId + " " + channel,
            typeId, (key) ->
            {
                key.putLong(0, registration);
                key.putInt(8, sessionId);
                key.putInt(12, streamId);
            });
        counters.setCounterValue(id, value);
        counters.setCounterRegistrationId(id, registration);
    }

    private void recording(final long recordingId, final int sessionId, final int streamId, final String channel,
        final long value)
    {
        final int id = counters.allocate(
            "rec-pos: " + recordingId + " " + sessionId + " " + streamId + " " + channel + " - archiveId=1",
            AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID, (key) ->
            {
                key.putLong(0, recordingId);
                key.putInt(8, sessionId);
            });
        counters.setCounterValue(id, value);
        counters.setCounterRegistrationId(id, registrationId++);
    }
}
