package io.tickbus.tools.stat;

import io.aeron.AeronCounters;
import io.tickbus.client.TickbusCounters;
import io.tickbus.sequencer.SequencerCounters;

/**
 * What a counter type id means to an operator: the section of {@code tickbus stat} it shows in (its Prometheus
 * name is {@link PrometheusMetrics}'s). Stateless.
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
