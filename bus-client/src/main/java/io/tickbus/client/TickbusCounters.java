package io.tickbus.client;

/**
 * Aeron counter type ids used by Tickbus components, so that {@code tickbus stat} and AeronStat can tell
 * them apart. Aeron reserves ids below 1000 for its own counters.
 */
public final class TickbusCounters
{
    /** Messages a publisher handed to Aeron. */
    public static final int PUBLISHER_PUBLISHED = 7101_00;
    /** Offers refused with BACK_PRESSURED (each attempt). */
    public static final int PUBLISHER_BACK_PRESSURED = 7101_01;
    /** Offers refused with NOT_CONNECTED (no subscriber): the message is dropped. */
    public static final int PUBLISHER_NOT_CONNECTED = 7101_02;
    /** Offers refused with ADMIN_ACTION (each attempt). */
    public static final int PUBLISHER_ADMIN_ACTION = 7101_03;
    /** Offers refused with CLOSED. */
    public static final int PUBLISHER_CLOSED = 7101_04;
    /** Offers refused with MAX_POSITION_EXCEEDED. */
    public static final int PUBLISHER_MAX_POSITION_EXCEEDED = 7101_05;
    /** Messages dropped after the back-pressure policy gave up. */
    public static final int PUBLISHER_DROPPED = 7101_06;
    /** Errors a component reported to its error path ({@link ComponentErrors}), when it has no errors counter of its own. */
    public static final int COMPONENT_ERRORS = 7101_09;
    /** Messages a subscriber dispatched. */
    public static final int SUBSCRIBER_RECEIVED = 7101_10;
    /** Fragments a subscriber could not decode (wrong schema, unknown template, short). */
    public static final int SUBSCRIBER_MALFORMED = 7101_11;
    /** Messages a subscriber filtered out. */
    public static final int SUBSCRIBER_FILTERED = 7101_12;
    /** Sequenced messages a subscriber dropped because their global sequence was already delivered. */
    public static final int SUBSCRIBER_REPEATS = 7101_13;
    /** Jumps over global sequences a subscriber saw on a sequenced stream (messages that will not arrive). */
    public static final int SUBSCRIBER_GAPS = 7101_14;
    /** Sequenced messages a subscriber recovered from an archive and delivered in place (replayed flag set). */
    public static final int SUBSCRIBER_RECOVERED = 7101_15;
    /** Repairs a sequenced subscriber started: a gap or a stall sent it to an archive. */
    public static final int SUBSCRIBER_REPAIRS = 7101_16;
    /** Global sequences a sequenced subscriber gave up on: no archive it knows held them (also reported as gaps). */
    public static final int SUBSCRIBER_UNRECOVERED = 7101_17;
    /** Archive requests of a sequenced subscriber that failed (archive down, refused, timed out). */
    public static final int SUBSCRIBER_ARCHIVE_ERRORS = 7101_18;
    /** Times a subscriber rebuilt its Aeron client after losing the media driver (a pause past the liveness timeout). */
    public static final int SUBSCRIBER_RECONNECTS = 7101_19;

    /** First id of the feed-handler range (7101_20 .. 7101_39). */
    public static final int FEED_HANDLER_BASE = 7101_20;
    /** First id of the sequencer range (7101_40 .. 7101_59). */
    public static final int SEQUENCER_BASE = 7101_40;
    /** First id of the archive range (7101_60 .. 7101_79). */
    public static final int ARCHIVE_BASE = 7101_60;

    /** First id of the order-book and strategy range (7101_80 .. 7101_99). */
    public static final int BOOK_AND_STRATEGY_BASE = 7101_80;

    private TickbusCounters()
    {
    }
}
