package io.tickbus.tools.stat;

import io.aeron.AeronCounters;
import io.tickbus.archive.ArchiveCounters;
import io.tickbus.client.TickbusCounters;
import io.tickbus.client.book.BookCounters;
import io.tickbus.client.strategy.StrategyRunner;
import io.tickbus.feed.FeedCounters;
import io.tickbus.feed.LineCounters;
import io.tickbus.feed.RecoveryCounters;
import io.tickbus.sequencer.SequencerCounters;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.tickbus.tools.stat.PrometheusMetric.Combine.COUNT;
import static io.tickbus.tools.stat.PrometheusMetric.Combine.MAX;
import static io.tickbus.tools.stat.PrometheusMetric.Combine.SUM;
import static io.tickbus.tools.stat.PrometheusMetric.Labels;
import static io.tickbus.tools.stat.PrometheusMetric.Type.COUNTER;
import static io.tickbus.tools.stat.PrometheusMetric.Type.GAUGE;

/**
 * The Prometheus name of every counter type {@code tickbus stat --prometheus} exports, following Prometheus's
 * conventions: base units (nanoseconds are served as seconds, positions as bytes), {@code _total} on counters and
 * only there, HELP on every family, and labels of bounded cardinality (channel, stream, feed, member, cluster id;
 * never a session, registration or counter id). Counters with no entry here are left out of the exposition (the
 * text view shows them) and counted by type id in {@code tickbus_stat_unexported_counters}; a Tickbus counter type
 * not listed yet is served under a name derived from its label, untyped.
 * <p>
 * Threading: the table is immutable after class initialisation; derived families are cached in a concurrent map.
 * Allocation: the table at class initialisation; a derived family per new unlisted Tickbus counter name.
 */
public final class PrometheusMetrics
{
    private static final long NS = 1_000_000_000L;
    private static final Int2ObjectHashMap<PrometheusMetric> BY_TYPE = new Int2ObjectHashMap<>();
    private static final Int2ObjectHashMap<PrometheusMetric> BY_SYSTEM_COUNTER = new Int2ObjectHashMap<>();
    private static final List<PrometheusMetric> ALL = new ArrayList<>();
    private static final Map<String, PrometheusMetric> DERIVED = new ConcurrentHashMap<>();

    /** Rollup: age of the driver's heartbeat. */
    public static final PrometheusMetric DRIVER_HEARTBEAT_AGE = add(new PrometheusMetric(
        "tickbus_driver_heartbeat_age_seconds", GAUGE,
        "Seconds since the media driver's last heartbeat (over 10 s: the driver is not running).", 1000,
        Labels.NONE, MAX));
    /** Rollup: counters left out. */
    public static final PrometheusMetric UNEXPORTED = rollup("tickbus_stat_unexported_counters", GAUGE,
        "Counters on the driver that have no Prometheus name, by type id (tickbus stat shows them).", Labels.NONE);

    /** Rollup: free space where the driver and the archives write. */
    public static final PrometheusMetric FILESYSTEM_AVAILABLE = rollup("tickbus_filesystem_available_bytes", GAUGE,
        "Bytes available to this user on the file system of the driver directory and of each archive directory.",
        Labels.PATH);
    /** Rollup: size of those file systems. */
    public static final PrometheusMetric FILESYSTEM_SIZE = rollup("tickbus_filesystem_size_bytes", GAUGE,
        "Size of the file system of the driver directory and of each archive directory.", Labels.PATH);

    /** Stream rollups, in exposition order. */
    public static final PrometheusMetric STREAM_PUBLISHERS = rollup("tickbus_stream_publishers", GAUGE,
        "Publications per channel and stream on this driver.", Labels.STREAM);
    /** Stream rollup. */
    public static final PrometheusMetric STREAM_SUBSCRIBERS = rollup("tickbus_stream_subscribers", GAUGE,
        "Subscriptions per channel and stream on this driver.", Labels.STREAM);
    /** Stream rollup. */
    public static final PrometheusMetric STREAM_PUBLISHED = rollup("tickbus_stream_published_total", COUNTER,
        "Messages published by Tickbus publishers.", Labels.STREAM);
    /** Stream rollup. */
    public static final PrometheusMetric STREAM_RECEIVED = rollup("tickbus_stream_received_total", COUNTER,
        "Messages received, summed over the Tickbus subscribers.", Labels.STREAM);
    /** Stream rollup. */
    public static final PrometheusMetric STREAM_BYTES = rollup("tickbus_stream_bytes_total", COUNTER,
        "Bytes of the stream: the furthest position of each session, summed.", Labels.STREAM);
    /** Stream rollup. */
    public static final PrometheusMetric STREAM_BACK_PRESSURE = rollup("tickbus_stream_back_pressure_total", COUNTER,
        "Offers refused as back-pressured plus the driver's sender back-pressure events.", Labels.STREAM);
    /** Stream rollup. */
    public static final PrometheusMetric STREAM_DROPPED = rollup("tickbus_stream_dropped_total", COUNTER,
        "Messages not published: not connected, dropped by the back-pressure policy, closed, max position.",
        Labels.STREAM);
    /** Stream rollup. */
    public static final PrometheusMetric STREAM_MALFORMED = rollup("tickbus_stream_malformed_total", COUNTER,
        "Fragments subscribers could not decode.", Labels.STREAM);
    /** Stream rollup. */
    public static final PrometheusMetric STREAM_GAPS = rollup("tickbus_stream_gaps_total", COUNTER,
        "Jumps over global sequences seen by subscribers of a sequenced stream.", Labels.STREAM);
    /** Stream rollup. */
    public static final PrometheusMetric STREAM_REPEATS = rollup("tickbus_stream_repeats_total", COUNTER,
        "Sequenced messages subscribers dropped as already delivered.", Labels.STREAM);

    /** Archive rollup. */
    public static final PrometheusMetric RECORDINGS = rollup("tickbus_archive_recordings", GAUGE,
        "Active Aeron Archive recordings of the stream on this driver.", Labels.STREAM);
    /** Archive rollup. */
    public static final PrometheusMetric RECORDING_POSITION = rollup("tickbus_archive_recording_position_bytes",
        GAUGE, "Recorded position of the stream's active recordings, summed.", Labels.STREAM);
    /** Archive rollup. */
    public static final PrometheusMetric RECORDING_LAG = rollup("tickbus_archive_recording_lag_bytes", GAUGE,
        "Bytes the stream's sessions are ahead of their recordings on this driver, summed.", Labels.STREAM);

    /** Cluster rollup. */
    public static final PrometheusMetric CLUSTER_ROLE = rollup("tickbus_cluster_role", GAUGE,
        "Cluster member role: 0 follower, 1 candidate, 2 leader.", Labels.CLUSTER);
    /** Cluster rollup. */
    public static final PrometheusMetric CLUSTER_COMMIT_POSITION = rollup("tickbus_cluster_commit_position_bytes",
        GAUGE, "Cluster log commit position.", Labels.CLUSTER);
    /** Cluster rollup. */
    public static final PrometheusMetric CLUSTER_ELECTION_STATE = rollup("tickbus_cluster_election_state", GAUGE,
        "Election state code (17 closed: no election running).", Labels.CLUSTER);
    /** Cluster rollup. */
    public static final PrometheusMetric CLUSTER_MODULE_STATE = rollup("tickbus_cluster_module_state", GAUGE,
        "Consensus module state code (1 active).", Labels.CLUSTER);
    /** Cluster rollup. */
    public static final PrometheusMetric CLUSTER_LEADERSHIP_TERM = rollup("tickbus_cluster_leadership_term_id", GAUGE,
        "Leadership term id: rises at each new leader.", Labels.CLUSTER);
    /** Cluster rollup. */
    public static final PrometheusMetric CLUSTER_ELECTIONS = rollup("tickbus_cluster_elections_total", COUNTER,
        "Elections held.", Labels.CLUSTER);

    static
    {
        // Tickbus publisher and subscriber (BusPublisher, BusSubscriber, SequencedSubscriber)
        type(TickbusCounters.PUBLISHER_PUBLISHED, "tickbus_publisher_published_total", COUNTER,
            "Messages published.", Labels.STREAM);
        type(TickbusCounters.PUBLISHER_BACK_PRESSURED, "tickbus_publisher_back_pressured_total", COUNTER,
            "Offers refused as back-pressured (each attempt).", Labels.STREAM);
        type(TickbusCounters.PUBLISHER_NOT_CONNECTED, "tickbus_publisher_not_connected_total", COUNTER,
            "Messages not published because no subscriber was connected.", Labels.STREAM);
        type(TickbusCounters.PUBLISHER_ADMIN_ACTION, "tickbus_publisher_admin_action_total", COUNTER,
            "Offers refused by an admin action (term rotation), retried.", Labels.STREAM);
        type(TickbusCounters.PUBLISHER_CLOSED, "tickbus_publisher_closed_total", COUNTER,
            "Messages not published because the publication was closed.", Labels.STREAM);
        type(TickbusCounters.PUBLISHER_MAX_POSITION_EXCEEDED, "tickbus_publisher_max_position_exceeded_total",
            COUNTER, "Messages not published because the publication reached its maximum position.", Labels.STREAM);
        type(TickbusCounters.PUBLISHER_DROPPED, "tickbus_publisher_dropped_total", COUNTER,
            "Messages given up under the back-pressure policy.", Labels.STREAM);
        type(TickbusCounters.SUBSCRIBER_RECEIVED, "tickbus_subscriber_received_total", COUNTER,
            "Messages delivered to subscribers.", Labels.STREAM);
        type(TickbusCounters.SUBSCRIBER_MALFORMED, "tickbus_subscriber_malformed_total", COUNTER,
            "Fragments subscribers could not decode.", Labels.STREAM);
        type(TickbusCounters.SUBSCRIBER_FILTERED, "tickbus_subscriber_filtered_total", COUNTER,
            "Messages subscribers' instrument filters skipped.", Labels.STREAM);
        type(TickbusCounters.SUBSCRIBER_REPEATS, "tickbus_subscriber_repeats_total", COUNTER,
            "Sequenced messages dropped as already delivered.", Labels.STREAM);
        type(TickbusCounters.SUBSCRIBER_GAPS, "tickbus_subscriber_gaps_total", COUNTER,
            "Jumps over global sequences seen by subscribers.", Labels.STREAM);
        type(TickbusCounters.SUBSCRIBER_RECOVERED, "tickbus_subscriber_recovered_total", COUNTER,
            "Messages the reliable subscriber recovered from an archive.", Labels.STREAM);
        type(TickbusCounters.SUBSCRIBER_REPAIRS, "tickbus_subscriber_repairs_total", COUNTER,
            "Gaps the reliable subscriber repaired from an archive.", Labels.STREAM);
        type(TickbusCounters.SUBSCRIBER_UNRECOVERED, "tickbus_subscriber_unrecovered_total", COUNTER,
            "Global sequences the reliable subscriber gave up on.", Labels.STREAM);
        type(TickbusCounters.SUBSCRIBER_ARCHIVE_ERRORS, "tickbus_subscriber_archive_errors_total", COUNTER,
            "Errors talking to archives while recovering.", Labels.STREAM);
        type(TickbusCounters.SUBSCRIBER_RECONNECTS, "tickbus_subscriber_reconnects_total", COUNTER,
            "Times the reliable subscriber reconnected to the live stream.", Labels.STREAM);
        type(TickbusCounters.COMPONENT_ERRORS, "tickbus_component_errors_total", COUNTER,
            "Errors of feed handlers, subscribers and sequencer clients, summed (tickbus errors lists them).",
            Labels.NONE);

        // feed handlers
        type(FeedCounters.PACKETS_TYPE_ID, "tickbus_feed_packets_total", COUNTER,
            "Venue transport packets read (UDP datagrams or framed records).", Labels.FEED);
        type(FeedCounters.MESSAGES_TYPE_ID, "tickbus_feed_messages_total", COUNTER,
            "Venue messages inside the packets.", Labels.FEED);
        type(FeedCounters.MALFORMED_TYPE_ID, "tickbus_feed_malformed_total", COUNTER,
            "Malformed or truncated venue packets, skipped.", Labels.FEED);
        type(FeedCounters.GAPS_TYPE_ID, "tickbus_feed_gaps_total", COUNTER,
            "Gaps in the venue's sequence numbers.", Labels.FEED);
        type(FeedCounters.PUBLISHED_TYPE_ID, "tickbus_feed_published_total", COUNTER,
            "Normalized messages published on the bus.", Labels.FEED);
        type(FeedCounters.DROPPED_TYPE_ID, "tickbus_feed_dropped_total", COUNTER,
            "Normalized messages not published (back-pressure policy, no subscriber).", Labels.FEED);
        type(FeedCounters.HEARTBEATS_TYPE_ID, "tickbus_feed_heartbeats_total", COUNTER,
            "Venue packets that carried no message.", Labels.FEED);
        type(LineCounters.LINE_PACKETS_TYPE_ID, "tickbus_feed_line_packets_total", COUNTER,
            "Venue packets read on one A/B line.", Labels.FEED_LINE);
        type(LineCounters.LINE_WON_TYPE_ID, "tickbus_feed_line_won_total", COUNTER,
            "Packets whose first copy came on this line (the copy used).", Labels.FEED_LINE);
        type(LineCounters.LINE_DUPLICATES_TYPE_ID, "tickbus_feed_line_duplicates_total", COUNTER,
            "Packets dropped on this line because the other line's copy came first.", Labels.FEED_LINE);
        type(LineCounters.LINE_DOWN_TYPE_ID, "tickbus_feed_line_down_total", COUNTER,
            "Times this line went silent while another line had traffic.", Labels.FEED_LINE);
        type(RecoveryCounters.REQUESTS_TYPE_ID, "tickbus_feed_rerequests_total", COUNTER,
            "MoldUDP64 re-requests sent for gaps.", Labels.FEED);
        type(RecoveryCounters.RECOVERED_TYPE_ID, "tickbus_feed_recovered_messages_total", COUNTER,
            "Venue messages recovered by re-request.", Labels.FEED);
        type(RecoveryCounters.TIMEOUTS_TYPE_ID, "tickbus_feed_rerequest_timeouts_total", COUNTER,
            "Re-requests not answered in time.", Labels.FEED);
        type(RecoveryCounters.GIVEN_UP_TYPE_ID, "tickbus_feed_gaps_given_up_total", COUNTER,
            "Gaps recovery gave up on, whatever the reason (each became a GapNotice; equals the feed's gaps).",
            Labels.FEED);
        type(RecoveryCounters.GIVEN_UP_HOLD_FULL_TYPE_ID, "tickbus_feed_gaps_given_up_hold_full_total", COUNTER,
            "Of the gaps given up, those given up because the hold was full and the re-request server was silent.",
            Labels.FEED);
        type(RecoveryCounters.DEFERRED_TYPE_ID, "tickbus_feed_hold_deferred_packets_total", COUNTER,
            "Packets that arrived while the hold was full, dropped and left to the re-request.", Labels.FEED);
        type(RecoveryCounters.MALFORMED_TYPE_ID, "tickbus_feed_rerequest_malformed_total", COUNTER,
            "Re-request answers that were malformed or of another session, dropped.", Labels.FEED);

        // sequencer service and client
        type(SequencerCounters.SEQUENCED, "tickbus_sequencer_sequenced_total", COUNTER,
            "Messages given a global sequence.", Labels.MEMBER);
        type(SequencerCounters.DUPLICATES, "tickbus_sequencer_duplicates_total", COUNTER,
            "Messages dropped as duplicates of a (feed id, source sequence) already sequenced.", Labels.MEMBER);
        type(SequencerCounters.MALFORMED, "tickbus_sequencer_malformed_total", COUNTER,
            "Ingress messages dropped as malformed.", Labels.MEMBER);
        type(SequencerCounters.WRONG_FEED, "tickbus_sequencer_wrong_feed_total", COUNTER,
            "Ingress messages dropped for a feed id other than the session's.", Labels.MEMBER);
        type(SequencerCounters.GLOBAL_SEQ, "tickbus_sequencer_global_seq", GAUGE,
            "The last global sequence assigned.", Labels.MEMBER);
        type(SequencerCounters.PUBLISH_REFUSED, "tickbus_sequencer_publish_refused_total", COUNTER,
            "Offers of the sequenced stream refused and retried.", Labels.MEMBER);
        type(SequencerCounters.UNPUBLISHED_EVICTED, "tickbus_sequencer_unpublished_evicted_total", COUNTER,
            "Sequenced messages evicted before this member published them.", Labels.MEMBER);
        type(SequencerCounters.AUTH_REJECTED, "tickbus_sequencer_auth_rejected_total", COUNTER,
            "Feed connections rejected by the authenticator.", Labels.MEMBER);
        type(SequencerCounters.ERRORS, "tickbus_sequencer_errors_total", COUNTER,
            "Errors reported to the sequencer service's error handler.", Labels.MEMBER);
        type(SequencerCounters.PUBLISH_BACKLOG, "tickbus_sequencer_publish_backlog", GAUGE,
            "Sequenced messages this member has not yet published.", Labels.MEMBER);
        type(SequencerCounters.CLIENT_SENT, "tickbus_sequencer_client_sent_total", COUNTER,
            "Messages a feed sent on the cluster's ingress, resends included.", Labels.FEED_ID);
        type(SequencerCounters.CLIENT_RESENT, "tickbus_sequencer_client_resent_total", COUNTER,
            "Messages a feed resent after a leader change or reconnect.", Labels.FEED_ID);
        type(SequencerCounters.CLIENT_ACKED, "tickbus_sequencer_client_acked_total", COUNTER,
            "Messages the cluster acknowledged to a feed.", Labels.FEED_ID);
        type(SequencerCounters.CLIENT_DROPPED, "tickbus_sequencer_client_dropped_total", COUNTER,
            "Messages a feed dropped because its unacknowledged window stayed full.", Labels.FEED_ID);
        type(SequencerCounters.CLIENT_REJECTED, "tickbus_sequencer_client_rejected_total", COUNTER,
            "Messages a feed refused before sending.", Labels.FEED_ID);
        type(SequencerCounters.CLIENT_LEADER_CHANGES, "tickbus_sequencer_client_leader_changes_total", COUNTER,
            "Leader changes a feed saw.", Labels.FEED_ID);
        type(SequencerCounters.CLIENT_LAST_ACKED_SOURCE_SEQ, "tickbus_sequencer_client_last_acked_source_seq", GAUGE,
            "Highest source sequence the cluster acknowledged to a feed.", Labels.FEED_ID);
        type(SequencerCounters.CLIENT_LAST_ACKED_GLOBAL_SEQ, "tickbus_sequencer_client_last_acked_global_seq", GAUGE,
            "Global sequence in the latest acknowledgement to a feed.", Labels.FEED_ID);
        type(SequencerCounters.CLIENT_GAP_NOTICES, "tickbus_sequencer_client_gap_notices_total", COUNTER,
            "GapNotices a feed sent for messages it dropped with its window full.", Labels.FEED_ID);

        // Tickbus archive
        type(ArchiveCounters.INDEXED_MESSAGES_TYPE_ID, "tickbus_archive_indexed_messages_total", COUNTER,
            "Messages indexed into the day catalog.", Labels.NONE);
        type(ArchiveCounters.SEGMENTS_TYPE_ID, "tickbus_archive_day_segments_total", COUNTER,
            "Day segments created.", Labels.NONE);
        type(ArchiveCounters.ERRORS_TYPE_ID, "tickbus_archive_errors_total", COUNTER,
            "Archive errors: recording, indexing, catalog persistence.", Labels.NONE);
        type(ArchiveCounters.CATALOG_WRITES_TYPE_ID, "tickbus_archive_catalog_writes_total", COUNTER,
            "Day catalog writes.", Labels.NONE);
        type(ArchiveCounters.FOREIGN_MESSAGES_TYPE_ID, "tickbus_archive_foreign_messages_total", COUNTER,
            "Recorded frames that are not Tickbus messages.", Labels.NONE);
        type(ArchiveCounters.PURGED_DAYS_TYPE_ID, "tickbus_archive_retention_purges_total", COUNTER,
            "Whole trading days purged by retention.", Labels.NONE);
        type(ArchiveCounters.REPLAYED_MESSAGES_TYPE_ID, "tickbus_archive_replayed_messages_total", COUNTER,
            "Messages republished by day replays.", Labels.NONE);
        type(ArchiveCounters.AUTH_REJECTED_TYPE_ID, "tickbus_archive_auth_rejected_total", COUNTER,
            "Archive control sessions rejected by authentication.", Labels.NONE);
        type(ArchiveCounters.AUTH_DENIED_TYPE_ID, "tickbus_archive_reader_denied_total", COUNTER,
            "Archive control requests refused to read-only sessions.", Labels.NONE);

        // books and strategies
        type(BookCounters.UNKNOWN_REFERENCES_TYPE_ID, "tickbus_book_unknown_references_total", COUNTER,
            "Order book updates naming an order the book does not hold.", Labels.STREAM);
        type(BookCounters.CROSSED_OR_LOCKED_TYPE_ID, "tickbus_book_crossed_or_locked_total", COUNTER,
            "Times a book was crossed or locked.", Labels.STREAM);
        type(BookCounters.INVALID_TYPE_ID, "tickbus_book_invalid_total", COUNTER,
            "Invalid order book updates, skipped.", Labels.STREAM);
        type(StrategyRunner.TIMERS_TYPE_ID, "tickbus_strategy_timers_total", COUNTER,
            "Strategy timers fired.", Labels.STREAM);
        type(StrategyRunner.ERRORS_TYPE_ID, "tickbus_strategy_errors_total", COUNTER,
            "Exceptions thrown by strategies.", Labels.STREAM);

        // Aeron stream positions, summed over the sessions (and subscriptions) of a stream
        type(AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID, "aeron_publisher_limit_bytes", GAUGE,
            "Aeron pub-lmt: position a publication may reach, summed over its sessions.", Labels.STREAM);
        type(AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID, "aeron_publisher_position_bytes", GAUGE,
            "Aeron pub-pos: position publications reached, summed over sessions.", Labels.STREAM);
        type(AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID, "aeron_sender_position_bytes", GAUGE,
            "Aeron snd-pos: position UDP senders sent, summed over sessions.", Labels.STREAM);
        type(AeronCounters.DRIVER_SENDER_LIMIT_TYPE_ID, "aeron_sender_limit_bytes", GAUGE,
            "Aeron snd-lmt: position UDP senders may send to, summed over sessions.", Labels.STREAM);
        type(AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID, "aeron_receiver_hwm_bytes", GAUGE,
            "Aeron rcv-hwm: highest position received, summed over images.", Labels.STREAM);
        type(AeronCounters.DRIVER_RECEIVER_POS_TYPE_ID, "aeron_receiver_position_bytes", GAUGE,
            "Aeron rcv-pos: position received without gaps, summed over images.", Labels.STREAM);
        type(AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID, "aeron_subscriber_position_bytes", GAUGE,
            "Aeron sub-pos: position subscribers consumed, summed over subscriptions and images.", Labels.STREAM);
        type(AeronCounters.DRIVER_SENDER_BPE_TYPE_ID, "aeron_sender_back_pressure_events_total", COUNTER,
            "Aeron snd-bpe: times UDP senders were held back by flow control.", Labels.STREAM);
        type(AeronCounters.DRIVER_SEND_CHANNEL_STATUS_TYPE_ID, "aeron_send_channels", GAUGE,
            "Aeron send channel endpoints on this driver, by status.", Labels.CHANNEL_STATUS, COUNT);
        type(AeronCounters.DRIVER_RECEIVE_CHANNEL_STATUS_TYPE_ID, "aeron_receive_channels", GAUGE,
            "Aeron receive channel endpoints on this driver, by status.", Labels.CHANNEL_STATUS, COUNT);
        type(AeronCounters.DRIVER_HEARTBEAT_TYPE_ID, "aeron_clients", GAUGE,
            "Aeron clients connected to this driver, by client name.", Labels.CLIENT_NAME, COUNT);

        // Aeron Archive
        type(AeronCounters.ARCHIVE_ERROR_COUNT_TYPE_ID, "aeron_archive_errors_total", COUNTER,
            "Aeron Archive errors.", Labels.NONE);
        type(AeronCounters.ARCHIVE_CONTROL_SESSIONS_TYPE_ID, "aeron_archive_control_sessions", GAUGE,
            "Aeron Archive control sessions.", Labels.NONE);
        type(AeronCounters.ARCHIVE_RECORDING_SESSION_COUNT_TYPE_ID, "aeron_archive_recording_sessions", GAUGE,
            "Aeron Archive recording sessions.", Labels.NONE);
        type(AeronCounters.ARCHIVE_REPLAY_SESSION_COUNT_TYPE_ID, "aeron_archive_replay_sessions", GAUGE,
            "Aeron Archive replay sessions.", Labels.NONE);
        type(AeronCounters.ARCHIVE_MAX_CYCLE_TIME_TYPE_ID, "aeron_archive_conductor_max_cycle_time_seconds", GAUGE,
            "Aeron Archive conductor's longest duty cycle.", NS, Labels.NONE, MAX);
        type(AeronCounters.ARCHIVE_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID,
            "aeron_archive_conductor_cycle_time_threshold_exceeded_total", COUNTER,
            "Aeron Archive conductor duty cycles over the threshold.", Labels.NONE);
        type(AeronCounters.ARCHIVE_RECORDER_MAX_WRITE_TIME_TYPE_ID, "aeron_archive_recorder_max_write_time_seconds",
            GAUGE, "Aeron Archive recorder's longest write.", NS, Labels.NONE, MAX);
        type(AeronCounters.ARCHIVE_RECORDER_TOTAL_WRITE_BYTES_TYPE_ID, "aeron_archive_recorder_written_bytes_total",
            COUNTER, "Bytes the Aeron Archive recorder wrote.", Labels.NONE);
        type(AeronCounters.ARCHIVE_RECORDER_TOTAL_WRITE_TIME_TYPE_ID, "aeron_archive_recorder_write_seconds_total",
            COUNTER, "Time the Aeron Archive recorder spent writing.", NS, Labels.NONE, SUM);
        type(AeronCounters.ARCHIVE_REPLAYER_MAX_READ_TIME_TYPE_ID, "aeron_archive_replayer_max_read_time_seconds",
            GAUGE, "Aeron Archive replayer's longest read.", NS, Labels.NONE, MAX);
        type(AeronCounters.ARCHIVE_REPLAYER_TOTAL_READ_BYTES_TYPE_ID, "aeron_archive_replayer_read_bytes_total",
            COUNTER, "Bytes the Aeron Archive replayer read.", Labels.NONE);
        type(AeronCounters.ARCHIVE_REPLAYER_TOTAL_READ_TIME_TYPE_ID, "aeron_archive_replayer_read_seconds_total",
            COUNTER, "Time the Aeron Archive replayer spent reading.", NS, Labels.NONE, SUM);

        // Aeron Cluster (role, commit position, election state and term are rollups)
        type(AeronCounters.CLUSTER_CONSENSUS_MODULE_ERROR_COUNT_TYPE_ID, "aeron_cluster_errors_total", COUNTER,
            "Aeron Cluster consensus module errors.", Labels.CLUSTER);
        type(AeronCounters.CLUSTER_CLUSTERED_SERVICE_ERROR_COUNT_TYPE_ID, "aeron_cluster_service_errors_total",
            COUNTER, "Aeron Cluster clustered service errors.", Labels.CLUSTER);
        type(AeronCounters.CLUSTER_CLIENT_TIMEOUT_COUNT_TYPE_ID, "aeron_cluster_client_timeouts_total", COUNTER,
            "Aeron Cluster client sessions timed out.", Labels.CLUSTER);
        type(AeronCounters.CLUSTER_INVALID_REQUEST_COUNT_TYPE_ID, "aeron_cluster_invalid_requests_total", COUNTER,
            "Aeron Cluster invalid requests.", Labels.CLUSTER);
        type(AeronCounters.CLUSTER_SNAPSHOT_COUNTER_TYPE_ID, "aeron_cluster_snapshots_total", COUNTER,
            "Aeron Cluster snapshots taken.", Labels.CLUSTER);
        type(AeronCounters.CLUSTER_MAX_CYCLE_TIME_TYPE_ID, "aeron_cluster_max_cycle_time_seconds", GAUGE,
            "Aeron Cluster consensus module's longest duty cycle.", NS, Labels.CLUSTER, MAX);
        type(AeronCounters.CLUSTER_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID,
            "aeron_cluster_cycle_time_threshold_exceeded_total", COUNTER,
            "Aeron Cluster consensus module duty cycles over the threshold.", Labels.CLUSTER);
        type(AeronCounters.CLUSTER_CLUSTERED_SERVICE_MAX_CYCLE_TIME_TYPE_ID,
            "aeron_cluster_service_max_cycle_time_seconds", GAUGE,
            "Aeron Cluster clustered service's longest duty cycle.", NS, Labels.CLUSTER, MAX);
        type(AeronCounters.CLUSTER_CLUSTERED_SERVICE_CYCLE_TIME_THRESHOLD_EXCEEDED_TYPE_ID,
            "aeron_cluster_service_cycle_time_threshold_exceeded_total", COUNTER,
            "Aeron Cluster clustered service duty cycles over the threshold.", Labels.CLUSTER);

        // the media driver's system counters, by system counter id
        system(AeronCounters.SYSTEM_COUNTER_ID_BYTES_SENT, "aeron_driver_sent_bytes_total", COUNTER, "Bytes sent.");
        system(AeronCounters.SYSTEM_COUNTER_ID_BYTES_RECEIVED, "aeron_driver_received_bytes_total", COUNTER,
            "Bytes received.");
        system(AeronCounters.SYSTEM_COUNTER_ID_RECEIVER_PROXY_FAILS, "aeron_driver_receiver_proxy_failures_total",
            COUNTER, "Failed offers to the receiver proxy.");
        system(AeronCounters.SYSTEM_COUNTER_ID_SENDER_PROXY_FAILS, "aeron_driver_sender_proxy_failures_total",
            COUNTER, "Failed offers to the sender proxy.");
        system(AeronCounters.SYSTEM_COUNTER_ID_CONDUCTOR_PROXY_FAILS, "aeron_driver_conductor_proxy_failures_total",
            COUNTER, "Failed offers to the driver conductor proxy.");
        system(AeronCounters.SYSTEM_COUNTER_ID_NAK_MESSAGES_SENT, "aeron_driver_naks_sent_total", COUNTER,
            "NAKs sent (loss seen by this driver's receivers).");
        system(AeronCounters.SYSTEM_COUNTER_ID_NAK_MESSAGES_RECEIVED, "aeron_driver_naks_received_total", COUNTER,
            "NAKs received (loss seen by remote receivers).");
        system(AeronCounters.SYSTEM_COUNTER_ID_STATUS_MESSAGES_SENT, "aeron_driver_status_messages_sent_total",
            COUNTER, "Status messages sent.");
        system(AeronCounters.SYSTEM_COUNTER_ID_STATUS_MESSAGES_RECEIVED,
            "aeron_driver_status_messages_received_total", COUNTER, "Status messages received.");
        system(AeronCounters.SYSTEM_COUNTER_ID_HEARTBEATS_SENT, "aeron_driver_heartbeats_sent_total", COUNTER,
            "Heartbeats sent.");
        system(AeronCounters.SYSTEM_COUNTER_ID_HEARTBEATS_RECEIVED, "aeron_driver_heartbeats_received_total",
            COUNTER, "Heartbeats received.");
        system(AeronCounters.SYSTEM_COUNTER_ID_RETRANSMITS_SENT, "aeron_driver_retransmits_sent_total", COUNTER,
            "Retransmits sent.");
        system(AeronCounters.SYSTEM_COUNTER_ID_FLOW_CONTROL_UNDER_RUNS, "aeron_driver_flow_control_under_runs_total",
            COUNTER, "Flow control under runs.");
        system(AeronCounters.SYSTEM_COUNTER_ID_FLOW_CONTROL_OVER_RUNS, "aeron_driver_flow_control_over_runs_total",
            COUNTER, "Flow control over runs.");
        system(AeronCounters.SYSTEM_COUNTER_ID_INVALID_PACKETS, "aeron_driver_invalid_packets_total", COUNTER,
            "Invalid packets received.");
        system(AeronCounters.SYSTEM_COUNTER_ID_ERRORS, "aeron_driver_errors_total", COUNTER,
            "Errors in the driver's distinct error log.");
        system(AeronCounters.SYSTEM_COUNTER_ID_SHORT_SENDS, "aeron_driver_short_sends_total", COUNTER,
            "Sends that wrote less than the whole datagram.");
        system(AeronCounters.SYSTEM_COUNTER_ID_FREE_FAILS, "aeron_driver_log_buffer_free_failures_total", COUNTER,
            "Failed attempts to free log buffers.");
        system(AeronCounters.SYSTEM_COUNTER_ID_SENDER_FLOW_CONTROL_LIMITS,
            "aeron_driver_sender_flow_control_limits_total", COUNTER,
            "Times senders were limited by flow control (back-pressure events).");
        system(AeronCounters.SYSTEM_COUNTER_ID_UNBLOCKED_PUBLICATIONS, "aeron_driver_unblocked_publications_total",
            COUNTER, "Publications unblocked after a client died mid-claim.");
        system(AeronCounters.SYSTEM_COUNTER_ID_UNBLOCKED_COMMANDS, "aeron_driver_unblocked_control_commands_total",
            COUNTER, "Control commands unblocked.");
        system(AeronCounters.SYSTEM_COUNTER_ID_POSSIBLE_TTL_ASYMMETRY, "aeron_driver_possible_ttl_asymmetry_total",
            COUNTER, "Possible multicast TTL asymmetries.");
        system(AeronCounters.SYSTEM_COUNTER_ID_CONTROLLABLE_IDLE_STRATEGY,
            "aeron_driver_controllable_idle_strategy_status", GAUGE, "Status of the controllable idle strategy.");
        system(AeronCounters.SYSTEM_COUNTER_ID_LOSS_GAP_FILLS, "aeron_driver_loss_gap_fills_total", COUNTER,
            "Gaps filled with padding after loss beyond recovery.");
        system(AeronCounters.SYSTEM_COUNTER_ID_CLIENT_TIMEOUTS, "aeron_driver_client_liveness_timeouts_total",
            COUNTER, "Clients timed out by the driver.");
        system(AeronCounters.SYSTEM_COUNTER_ID_RESOLUTION_CHANGES, "aeron_driver_resolution_changes_total", COUNTER,
            "Changes of resolved endpoint addresses.");
        system(AeronCounters.SYSTEM_COUNTER_ID_CONDUCTOR_MAX_CYCLE_TIME,
            "aeron_driver_conductor_max_cycle_time_seconds", GAUGE, "Driver conductor's longest duty cycle.", NS);
        system(AeronCounters.SYSTEM_COUNTER_ID_CONDUCTOR_CYCLE_TIME_THRESHOLD_EXCEEDED,
            "aeron_driver_conductor_cycle_time_threshold_exceeded_total", COUNTER,
            "Driver conductor duty cycles over the threshold.");
        system(AeronCounters.SYSTEM_COUNTER_ID_SENDER_MAX_CYCLE_TIME, "aeron_driver_sender_max_cycle_time_seconds",
            GAUGE, "Driver sender's longest duty cycle.", NS);
        system(AeronCounters.SYSTEM_COUNTER_ID_SENDER_CYCLE_TIME_THRESHOLD_EXCEEDED,
            "aeron_driver_sender_cycle_time_threshold_exceeded_total", COUNTER,
            "Driver sender duty cycles over the threshold.");
        system(AeronCounters.SYSTEM_COUNTER_ID_RECEIVER_MAX_CYCLE_TIME,
            "aeron_driver_receiver_max_cycle_time_seconds", GAUGE, "Driver receiver's longest duty cycle.", NS);
        system(AeronCounters.SYSTEM_COUNTER_ID_RECEIVER_CYCLE_TIME_THRESHOLD_EXCEEDED,
            "aeron_driver_receiver_cycle_time_threshold_exceeded_total", COUNTER,
            "Driver receiver duty cycles over the threshold.");
        system(AeronCounters.SYSTEM_COUNTER_ID_NAME_RESOLVER_MAX_TIME, "aeron_driver_name_resolver_max_time_seconds",
            GAUGE, "Longest name resolution.", NS);
        system(AeronCounters.SYSTEM_COUNTER_ID_NAME_RESOLVER_TIME_THRESHOLD_EXCEEDED,
            "aeron_driver_name_resolver_time_threshold_exceeded_total", COUNTER,
            "Name resolutions over the threshold.");
        BY_SYSTEM_COUNTER.put(AeronCounters.SYSTEM_COUNTER_ID_AERON_VERSION, add(new PrometheusMetric(
            "aeron_driver_info", GAUGE, "The media driver's Aeron version (always 1).", 1, Labels.VERSION, COUNT)));
        system(AeronCounters.SYSTEM_COUNTER_ID_BYTES_CURRENTLY_MAPPED, "aeron_driver_mapped_bytes", GAUGE,
            "Bytes of log buffers currently mapped.");
        system(AeronCounters.SYSTEM_COUNTER_ID_RETRANSMITTED_BYTES, "aeron_driver_retransmitted_bytes_total",
            COUNTER, "Bytes retransmitted.");
        system(AeronCounters.SYSTEM_COUNTER_ID_RETRANSMIT_OVERFLOW, "aeron_driver_retransmit_pool_overflows_total",
            COUNTER, "Retransmits dropped because the retransmit pool was full.");
        system(AeronCounters.SYSTEM_COUNTER_ID_ERROR_FRAMES_RECEIVED, "aeron_driver_error_frames_received_total",
            COUNTER, "Error frames received.");
        system(AeronCounters.SYSTEM_COUNTER_ID_ERROR_FRAMES_SENT, "aeron_driver_error_frames_sent_total", COUNTER,
            "Error frames sent.");
        system(AeronCounters.SYSTEM_COUNTER_ID_PUBLICATIONS_REVOKED, "aeron_driver_publications_revoked_total",
            COUNTER, "Publications revoked.");
        system(AeronCounters.SYSTEM_COUNTER_ID_PUBLICATION_IMAGES_REVOKED,
            "aeron_driver_publication_images_revoked_total", COUNTER, "Publication images revoked.");
        system(AeronCounters.SYSTEM_COUNTER_ID_IMAGES_REJECTED, "aeron_driver_images_rejected_total", COUNTER,
            "Images rejected.");
        system(AeronCounters.SYSTEM_COUNTER_ID_CONTROL_PROTOCOL_VERSION, "aeron_driver_control_protocol_version",
            GAUGE, "Version of the client-driver control protocol.");
        system(AeronCounters.SYSTEM_COUNTER_ID_STATUS_MESSAGES_REJECTED,
            "aeron_driver_status_messages_rejected_total", COUNTER, "Status messages rejected.");
        system(AeronCounters.SYSTEM_COUNTER_ID_ASYNC_EXECUTOR_PROXY_FAILS,
            "aeron_driver_async_executor_proxy_failures_total", COUNTER, "Failed offers to the async executor.");
    }

    private PrometheusMetrics()
    {
    }

    /**
     * @param typeId counter type id.
     * @param key the first int of the counter's key (the system counter id of a driver system counter).
     * @param label the counter's label, to derive a name for an unlisted Tickbus counter.
     * @return its family, or null when it is not exported.
     */
    public static PrometheusMetric forCounter(final int typeId, final int key, final String label)
    {
        if (AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID == typeId)
        {
            return BY_SYSTEM_COUNTER.get(key);
        }
        final PrometheusMetric metric = BY_TYPE.get(typeId);
        if (null == metric && CounterKinds.isTickbus(typeId))
        {
            return derived(typeId, label);
        }
        return metric;
    }

    /** @return every listed family (rollups, counter types, system counters), for documentation and tests. */
    public static List<PrometheusMetric> all()
    {
        return Collections.unmodifiableList(ALL);
    }

    /**
     * A name for a Tickbus counter type this table does not list yet, from its label's name part:
     * {@code tickbus-feed line-down: itch5 A} becomes {@code tickbus_feed_line_down}, untyped, labelled like the
     * other counters of its range (a feed handler's by {@code feed}, others by channel and stream when they name
     * them).
     *
     * @param typeId the counter's type id.
     * @param label its label.
     * @return the family.
     */
    static PrometheusMetric derived(final int typeId, final String label)
    {
        // one family per derived name, shared by every counter of that type (and by the tables of all threads)
        return DERIVED.computeIfAbsent(CounterKinds.systemName(label), (name) -> derive(typeId, name));
    }

    private static PrometheusMetric derive(final int typeId, final String name)
    {
        String snake = CounterKinds.snake(name);
        if (!snake.startsWith("tickbus_"))
        {
            snake = "tickbus_" + snake;
        }
        if (snake.endsWith("_total"))
        {
            snake = snake.substring(0, snake.length() - "_total".length());
        }
        final boolean feed = typeId >= TickbusCounters.FEED_HANDLER_BASE && typeId < TickbusCounters.SEQUENCER_BASE;
        return new PrometheusMetric(snake, PrometheusMetric.Type.UNTYPED,
            "Tickbus counter '" + name + "' (type id " + typeId + "), named from its label.", 1,
            feed ? Labels.FEED : Labels.STREAM, SUM);
    }

    private static PrometheusMetric rollup(
        final String name, final PrometheusMetric.Type type, final String help, final Labels labels)
    {
        return add(new PrometheusMetric(name, type, help, 1, labels, SUM));
    }

    private static void type(
        final int typeId, final String name, final PrometheusMetric.Type type, final String help, final Labels labels)
    {
        type(typeId, name, type, help, 1, labels, SUM);
    }

    private static void type(
        final int typeId,
        final String name,
        final PrometheusMetric.Type type,
        final String help,
        final Labels labels,
        final PrometheusMetric.Combine combine)
    {
        type(typeId, name, type, help, 1, labels, combine);
    }

    private static void type(
        final int typeId,
        final String name,
        final PrometheusMetric.Type type,
        final String help,
        final long divisor,
        final Labels labels,
        final PrometheusMetric.Combine combine)
    {
        BY_TYPE.put(typeId, add(new PrometheusMetric(name, type, help, divisor, labels, combine)));
    }

    private static void system(
        final int systemCounterId, final String name, final PrometheusMetric.Type type, final String help)
    {
        system(systemCounterId, name, type, help, 1);
    }

    private static void system(
        final int systemCounterId,
        final String name,
        final PrometheusMetric.Type type,
        final String help,
        final long divisor)
    {
        BY_SYSTEM_COUNTER.put(systemCounterId, add(new PrometheusMetric(
            name, type, "Media driver: " + help, divisor, Labels.NONE, 1 == divisor ? SUM : MAX)));
    }

    private static PrometheusMetric add(final PrometheusMetric metric)
    {
        ALL.add(metric);
        return metric;
    }
}
