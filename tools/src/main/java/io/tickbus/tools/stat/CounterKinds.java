package io.tickbus.tools.stat;

import io.aeron.AeronCounters;
import io.tickbus.archive.ArchiveCounters;
import io.tickbus.client.TickbusCounters;
import io.tickbus.client.book.BookCounters;
import io.tickbus.client.strategy.StrategyRunner;
import io.tickbus.feed.FeedCounters;
import io.tickbus.sequencer.SequencerCounters;

/**
 * What a counter type id means to an operator: the section of {@code tickbus stat} it shows in, and its
 * Prometheus metric name. Stateless.
 */
public final class CounterKinds
{
    /** Sections of the live view, in display order. */
    public enum Section
    {
        /** Tickbus publishers, subscribers, feed handlers, sequencer clients, books and strategies. */
        TICKBUS("Tickbus"),
        /** Aeron per-stream positions and channel status. */
        STREAMS("Aeron positions"),
        /** Aeron Cluster (role, commit position, elections) and the sequencer service. */
        CLUSTER("Cluster"),
        /** Aeron Archive (recording positions, sessions) and the Tickbus archive. */
        ARCHIVE("Archive"),
        /** The media driver's own system counters. */
        DRIVER("Media driver"),
        /** Anything else. */
        OTHER("Other");

        private final String title;

        Section(final String title)
        {
            this.title = title;
        }

        /** @return heading. */
        public String title()
        {
            return title;
        }
    }

    private static final int TICKBUS_FIRST = TickbusCounters.PUBLISHER_PUBLISHED;
    private static final int TICKBUS_LAST = TickbusCounters.PUBLISHER_PUBLISHED + 99;

    private CounterKinds()
    {
    }

    /**
     * @param typeId counter type id.
     * @return its section.
     */
    public static Section section(final int typeId)
    {
        if (typeId >= TickbusCounters.SEQUENCER_BASE && typeId < SequencerCounters.CLIENT_SENT)
        {
            return Section.CLUSTER;
        }
        if (typeId >= TickbusCounters.ARCHIVE_BASE && typeId < TickbusCounters.BOOK_AND_STRATEGY_BASE)
        {
            return Section.ARCHIVE;
        }
        if (isTickbus(typeId))
        {
            return Section.TICKBUS;
        }
        if (AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID == typeId)
        {
            return Section.DRIVER;
        }
        if (typeId >= 100 && typeId < 200)
        {
            return Section.ARCHIVE;
        }
        if (typeId >= 200 && typeId < 300)
        {
            return Section.CLUSTER;
        }
        if (typeId > 0 && typeId < 100)
        {
            return Section.STREAMS;
        }
        return Section.OTHER;
    }

    /**
     * @param typeId counter type id.
     * @return true when it is in the Tickbus range of {@link TickbusCounters}.
     */
    public static boolean isTickbus(final int typeId)
    {
        return typeId >= TICKBUS_FIRST && typeId <= TICKBUS_LAST;
    }

    /**
     * @param typeId counter type id.
     * @param label the counter's label (names Aeron's system counters).
     * @return a Prometheus metric name.
     */
    public static String metricName(final int typeId, final String label)
    {
        switch (typeId)
        {
            case TickbusCounters.PUBLISHER_PUBLISHED: return "tickbus_publisher_published_total";
            case TickbusCounters.PUBLISHER_BACK_PRESSURED: return "tickbus_publisher_back_pressured_total";
            case TickbusCounters.PUBLISHER_NOT_CONNECTED: return "tickbus_publisher_not_connected_total";
            case TickbusCounters.PUBLISHER_ADMIN_ACTION: return "tickbus_publisher_admin_action_total";
            case TickbusCounters.PUBLISHER_CLOSED: return "tickbus_publisher_closed_total";
            case TickbusCounters.PUBLISHER_MAX_POSITION_EXCEEDED: return "tickbus_publisher_max_position_exceeded_total";
            case TickbusCounters.PUBLISHER_DROPPED: return "tickbus_publisher_dropped_total";
            case TickbusCounters.SUBSCRIBER_RECEIVED: return "tickbus_subscriber_received_total";
            case TickbusCounters.SUBSCRIBER_MALFORMED: return "tickbus_subscriber_malformed_total";
            case TickbusCounters.SUBSCRIBER_FILTERED: return "tickbus_subscriber_filtered_total";
            case TickbusCounters.SUBSCRIBER_REPEATS: return "tickbus_subscriber_repeats_total";
            case TickbusCounters.SUBSCRIBER_GAPS: return "tickbus_subscriber_gaps_total";
            case TickbusCounters.SUBSCRIBER_RECOVERED: return "tickbus_subscriber_recovered_total";
            case TickbusCounters.SUBSCRIBER_REPAIRS: return "tickbus_subscriber_repairs_total";
            case TickbusCounters.SUBSCRIBER_UNRECOVERED: return "tickbus_subscriber_unrecovered_total";
            case TickbusCounters.SUBSCRIBER_ARCHIVE_ERRORS: return "tickbus_subscriber_archive_errors_total";
            case TickbusCounters.SUBSCRIBER_RECONNECTS: return "tickbus_subscriber_reconnects_total";
            case FeedCounters.PACKETS_TYPE_ID: return "tickbus_feed_packets_total";
            case FeedCounters.MESSAGES_TYPE_ID: return "tickbus_feed_messages_total";
            case FeedCounters.MALFORMED_TYPE_ID: return "tickbus_feed_malformed_total";
            case FeedCounters.GAPS_TYPE_ID: return "tickbus_feed_gaps_total";
            case FeedCounters.PUBLISHED_TYPE_ID: return "tickbus_feed_published_total";
            case FeedCounters.DROPPED_TYPE_ID: return "tickbus_feed_dropped_total";
            case FeedCounters.HEARTBEATS_TYPE_ID: return "tickbus_feed_heartbeats_total";
            case SequencerCounters.SEQUENCED: return "tickbus_sequencer_sequenced_total";
            case SequencerCounters.DUPLICATES: return "tickbus_sequencer_duplicates_total";
            case SequencerCounters.MALFORMED: return "tickbus_sequencer_malformed_total";
            case SequencerCounters.WRONG_FEED: return "tickbus_sequencer_wrong_feed_total";
            case SequencerCounters.GLOBAL_SEQ: return "tickbus_sequencer_global_seq";
            case SequencerCounters.PUBLISH_REFUSED: return "tickbus_sequencer_publish_refused_total";
            case SequencerCounters.PUBLISH_BACKLOG: return "tickbus_sequencer_publish_backlog";
            case SequencerCounters.UNPUBLISHED_EVICTED: return "tickbus_sequencer_unpublished_evicted_total";
            case SequencerCounters.AUTH_REJECTED: return "tickbus_sequencer_auth_rejected_total";
            case SequencerCounters.ERRORS: return "tickbus_sequencer_errors_total";
            case SequencerCounters.CLIENT_SENT: return "tickbus_sequencer_client_sent_total";
            case SequencerCounters.CLIENT_RESENT: return "tickbus_sequencer_client_resent_total";
            case SequencerCounters.CLIENT_ACKED: return "tickbus_sequencer_client_acked_total";
            case SequencerCounters.CLIENT_DROPPED: return "tickbus_sequencer_client_dropped_total";
            case SequencerCounters.CLIENT_REJECTED: return "tickbus_sequencer_client_rejected_total";
            case SequencerCounters.CLIENT_LEADER_CHANGES: return "tickbus_sequencer_client_leader_changes_total";
            case SequencerCounters.CLIENT_LAST_ACKED_SOURCE_SEQ: return "tickbus_sequencer_client_last_acked_source_seq";
            case SequencerCounters.CLIENT_LAST_ACKED_GLOBAL_SEQ: return "tickbus_sequencer_client_last_acked_global_seq";
            case ArchiveCounters.INDEXED_MESSAGES_TYPE_ID: return "tickbus_archive_indexed_messages_total";
            case ArchiveCounters.SEGMENTS_TYPE_ID: return "tickbus_archive_day_segments_total";
            case ArchiveCounters.ERRORS_TYPE_ID: return "tickbus_archive_errors_total";
            case ArchiveCounters.CATALOG_WRITES_TYPE_ID: return "tickbus_archive_catalog_writes_total";
            case ArchiveCounters.FOREIGN_MESSAGES_TYPE_ID: return "tickbus_archive_foreign_messages_total";
            case ArchiveCounters.PURGED_DAYS_TYPE_ID: return "tickbus_archive_purged_days_total";
            case ArchiveCounters.REPLAYED_MESSAGES_TYPE_ID: return "tickbus_archive_replayed_messages_total";
            case ArchiveCounters.AUTH_REJECTED_TYPE_ID: return "tickbus_archive_auth_rejected_total";
            case ArchiveCounters.AUTH_DENIED_TYPE_ID: return "tickbus_archive_reader_denied_total";
            case BookCounters.UNKNOWN_REFERENCES_TYPE_ID: return "tickbus_book_unknown_references_total";
            case BookCounters.CROSSED_OR_LOCKED_TYPE_ID: return "tickbus_book_crossed_or_locked_total";
            case BookCounters.INVALID_TYPE_ID: return "tickbus_book_invalid_total";
            case StrategyRunner.TIMERS_TYPE_ID: return "tickbus_strategy_timers_total";
            case StrategyRunner.ERRORS_TYPE_ID: return "tickbus_strategy_errors_total";
            case AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID: return "aeron_driver_" + snake(systemName(label));
            case AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID: return "aeron_publisher_limit";
            case AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID: return "aeron_sender_position";
            case AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID: return "aeron_receiver_hwm";
            case AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID: return "aeron_subscriber_position";
            case AeronCounters.DRIVER_RECEIVER_POS_TYPE_ID: return "aeron_receiver_position";
            case AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID: return "aeron_publisher_position";
            case AeronCounters.DRIVER_SENDER_LIMIT_TYPE_ID: return "aeron_sender_limit";
            case AeronCounters.DRIVER_SEND_CHANNEL_STATUS_TYPE_ID: return "aeron_send_channel_status";
            case AeronCounters.DRIVER_RECEIVE_CHANNEL_STATUS_TYPE_ID: return "aeron_receive_channel_status";
            case AeronCounters.DRIVER_SENDER_BPE_TYPE_ID: return "aeron_sender_back_pressure_events_total";
            case AeronCounters.DRIVER_HEARTBEAT_TYPE_ID: return "aeron_client_heartbeat";
            case AeronCounters.ARCHIVE_RECORDING_POSITION_TYPE_ID: return "aeron_archive_recording_position";
            case AeronCounters.CLUSTER_NODE_ROLE_TYPE_ID: return "aeron_cluster_node_role";
            case AeronCounters.CLUSTER_COMMIT_POSITION_TYPE_ID: return "aeron_cluster_commit_position";
            case AeronCounters.CLUSTER_CONSENSUS_MODULE_STATE_TYPE_ID: return "aeron_cluster_consensus_module_state";
            case AeronCounters.CLUSTER_ELECTION_STATE_TYPE_ID: return "aeron_cluster_election_state";
            case AeronCounters.CLUSTER_LEADERSHIP_TERM_ID_TYPE_ID: return "aeron_cluster_leadership_term_id";
            case AeronCounters.CLUSTER_ELECTION_COUNT_TYPE_ID: return "aeron_cluster_elections_total";
            default:
                if (section(typeId) == Section.TICKBUS)
                {
                    return "tickbus_counter";
                }
                return "aeron_counter";
        }
    }

    /**
     * @param label a counter label such as {@code tickbus-pub published: channel=aeron:ipc stream=1001}.
     * @param key the key with its equals sign, e.g. {@code "stream="}.
     * @return the value after the key up to the next space, or null when the label has no such key.
     */
    public static String word(final String label, final String key)
    {
        final int start = label.indexOf(key);
        if (start < 0 || (start > 0 && label.charAt(start - 1) != ' ' && label.charAt(start - 1) != ':'))
        {
            return null;
        }
        int end = start + key.length();
        while (end < label.length() && label.charAt(end) != ' ')
        {
            end++;
        }
        return label.substring(start + key.length(), end);
    }

    /**
     * @param label a system counter's label, e.g. {@code Errors: version=1.51.0 commit=...}.
     * @return its name without the details after a colon.
     */
    static String systemName(final String label)
    {
        final int colon = label.indexOf(':');
        return colon > 0 ? label.substring(0, colon) : label;
    }

    /**
     * @param text a label.
     * @return lower snake case with only {@code [a-z0-9_]}.
     */
    static String snake(final String text)
    {
        final StringBuilder sb = new StringBuilder(text.length());
        boolean underscore = false;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = Character.toLowerCase(text.charAt(i));
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            {
                sb.append(c);
                underscore = false;
            }
            else if (!underscore && sb.length() > 0)
            {
                sb.append('_');
                underscore = true;
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == '_')
        {
            end--;
        }
        sb.setLength(end);
        return sb.toString();
    }
}
