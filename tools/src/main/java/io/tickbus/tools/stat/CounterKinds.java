package io.tickbus.tools.stat;

import io.aeron.AeronCounters;
import io.tickbus.client.TickbusCounters;

/**
 * What a counter type id means to an operator: the section of {@code tickbus stat} it shows in, and its
 * Prometheus metric name. Stateless.
 */
public final class CounterKinds
{
    /** Sections of the live view, in display order. */
    public enum Section
    {
        /** Tickbus publishers, subscribers, feed handlers, sequencer and archive components. */
        TICKBUS("Tickbus"),
        /** Aeron per-stream positions and channel status. */
        STREAMS("Streams (Aeron positions)"),
        /** Aeron Cluster: role, commit position, elections. */
        CLUSTER("Cluster"),
        /** Aeron Archive: recording positions, sessions. */
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
        if (typeId >= TICKBUS_FIRST && typeId <= TICKBUS_LAST)
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
            default:
                if (section(typeId) == Section.TICKBUS)
                {
                    return "tickbus_counter";
                }
                return "aeron_counter";
        }
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
