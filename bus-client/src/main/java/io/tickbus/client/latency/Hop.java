package io.tickbus.client.latency;

/**
 * One measured leg of a message's path, from the timestamps in its common block (exchange, feed-handler receive,
 * bus publish, sequencer) to the moment this subscriber saw it; plus the round trip of the ping-pong probe.
 * The {@link #tag()} names the hop in HdrHistogram interval logs (no spaces or commas, as the format needs).
 */
public enum Hop
{
    /** Venue timestamp to feed-handler receive. */
    EXCHANGE_RECEIVE("exchange->receive", "exchange-receive"),
    /** Feed-handler receive to bus publish. */
    RECEIVE_PUBLISH("receive->publish", "receive-publish"),
    /** Bus publish to sequencer stamp (sequenced streams only). */
    PUBLISH_SEQUENCED("publish->sequenced", "publish-sequenced"),
    /** Venue timestamp to this subscriber. */
    EXCHANGE_SUBSCRIBER("exchange->subscriber", "exchange-subscriber"),
    /** Feed-handler receive to this subscriber. */
    RECEIVE_SUBSCRIBER("receive->subscriber", "receive-subscriber"),
    /** Bus publish to this subscriber. */
    PUBLISH_SUBSCRIBER("publish->subscriber", "publish-subscriber"),
    /** Sequencer stamp to this subscriber (sequenced streams only). */
    SEQUENCED_SUBSCRIBER("sequenced->subscriber", "sequenced-subscriber"),
    /** Ping publish to echo received back (the ping-pong probe). */
    ROUND_TRIP("round-trip", "round-trip");

    private static final Hop[] VALUES = values();

    private final String label;
    private final String tag;

    Hop(final String label, final String tag)
    {
        this.label = label;
        this.tag = tag;
    }

    /** @return the name shown in tables and plots, e.g. {@code publish->subscriber}. */
    public String label()
    {
        return label;
    }

    /** @return the tag used in interval logs and file names, e.g. {@code publish-subscriber}. */
    public String tag()
    {
        return tag;
    }

    /**
     * @param tag a tag from an interval log, or a label.
     * @return the hop, or null when unknown.
     */
    public static Hop fromTag(final String tag)
    {
        for (final Hop hop : VALUES)
        {
            if (hop.tag.equals(tag) || hop.label.equals(tag))
            {
                return hop;
            }
        }
        return null;
    }
}
