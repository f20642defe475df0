package io.tickbus.feed.itch;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * NASDAQ TotalView-ITCH 5.0 message layouts: type codes, exact lengths and field offsets from the venue's
 * specification, and big-endian field readers. Every message starts with type (1), stock locate (2), tracking
 * number (2) and a 6-byte timestamp (nanoseconds since midnight, US Eastern time).
 * <p>
 * Stateless, thread safe, allocation free.
 */
public final class ItchMessages
{
    /** Byte order of every ITCH field. */
    public static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    /** Offset of the message type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the stock locate. */
    public static final int STOCK_LOCATE_OFFSET = 1;
    /** Offset of the tracking number. */
    public static final int TRACKING_NUMBER_OFFSET = 3;
    /** Offset of the 6-byte timestamp. */
    public static final int TIMESTAMP_OFFSET = 5;
    /** Length of the common header. */
    public static final int HEADER_LENGTH = 11;
    /** Offset of the first field after the header. */
    public static final int BODY_OFFSET = 11;
    /** Length of a Stock / MPID field. */
    public static final int STOCK_LENGTH = 8;

    /** System Event. */
    public static final byte SYSTEM_EVENT = 'S';
    /** Stock Directory. */
    public static final byte STOCK_DIRECTORY = 'R';
    /** Stock Trading Action. */
    public static final byte STOCK_TRADING_ACTION = 'H';
    /** Reg SHO Short Sale Price Test Restricted Indicator. */
    public static final byte REG_SHO_RESTRICTION = 'Y';
    /** Market Participant Position. */
    public static final byte MARKET_PARTICIPANT_POSITION = 'L';
    /** MWCB Decline Level. */
    public static final byte MWCB_DECLINE_LEVEL = 'V';
    /** MWCB Status. */
    public static final byte MWCB_STATUS = 'W';
    /** IPO Quoting Period Update. */
    public static final byte IPO_QUOTING_PERIOD_UPDATE = 'K';
    /** LULD Auction Collar. */
    public static final byte LULD_AUCTION_COLLAR = 'J';
    /** Operational Halt. */
    public static final byte OPERATIONAL_HALT = 'h';
    /** Add Order, no MPID attribution. */
    public static final byte ADD_ORDER = 'A';
    /** Add Order with MPID attribution. */
    public static final byte ADD_ORDER_MPID = 'F';
    /** Order Executed. */
    public static final byte ORDER_EXECUTED = 'E';
    /** Order Executed With Price. */
    public static final byte ORDER_EXECUTED_WITH_PRICE = 'C';
    /** Order Cancel (partial). */
    public static final byte ORDER_CANCEL = 'X';
    /** Order Delete. */
    public static final byte ORDER_DELETE = 'D';
    /** Order Replace. */
    public static final byte ORDER_REPLACE = 'U';
    /** Trade (non-cross, non-displayed order). */
    public static final byte TRADE = 'P';
    /** Cross Trade. */
    public static final byte CROSS_TRADE = 'Q';
    /** Broken Trade / Order Execution. */
    public static final byte BROKEN_TRADE = 'B';
    /** Net Order Imbalance Indicator (NOII). */
    public static final byte NOII = 'I';
    /** Retail Price Improvement Indicator (RPII). */
    public static final byte RPII = 'N';
    /** Direct Listing with Capital Raise Price Discovery. */
    public static final byte DLCR_PRICE_DISCOVERY = 'O';

    /** Cross type of a cross trade: the opening cross. */
    public static final byte CROSS_OPENING = 'O';
    /** Cross type of a cross trade: the closing cross. */
    public static final byte CROSS_CLOSING = 'C';
    /** System event code: start of messages. */
    public static final byte EVENT_START_OF_MESSAGES = 'O';
    /** System event code: start of system hours. */
    public static final byte EVENT_START_OF_SYSTEM_HOURS = 'S';
    /** System event code: start of market hours. */
    public static final byte EVENT_START_OF_MARKET_HOURS = 'Q';
    /** System event code: end of market hours. */
    public static final byte EVENT_END_OF_MARKET_HOURS = 'M';
    /** System event code: end of system hours. */
    public static final byte EVENT_END_OF_SYSTEM_HOURS = 'E';
    /** System event code: end of messages. */
    public static final byte EVENT_END_OF_MESSAGES = 'C';

    private static final int[] LENGTHS = new int[256];
    private static final String[] TYPE_CODES = new String[256];

    static
    {
        length(SYSTEM_EVENT, 12);
        length(STOCK_DIRECTORY, 39);
        length(STOCK_TRADING_ACTION, 25);
        length(REG_SHO_RESTRICTION, 20);
        length(MARKET_PARTICIPANT_POSITION, 26);
        length(MWCB_DECLINE_LEVEL, 35);
        length(MWCB_STATUS, 12);
        length(IPO_QUOTING_PERIOD_UPDATE, 28);
        length(LULD_AUCTION_COLLAR, 35);
        length(OPERATIONAL_HALT, 21);
        length(ADD_ORDER, 36);
        length(ADD_ORDER_MPID, 40);
        length(ORDER_EXECUTED, 31);
        length(ORDER_EXECUTED_WITH_PRICE, 36);
        length(ORDER_CANCEL, 23);
        length(ORDER_DELETE, 19);
        length(ORDER_REPLACE, 35);
        length(TRADE, 44);
        length(CROSS_TRADE, 40);
        length(BROKEN_TRADE, 19);
        length(NOII, 50);
        length(RPII, 20);
        length(DLCR_PRICE_DISCOVERY, 48);
    }

    private ItchMessages()
    {
    }

    private static void length(final byte type, final int length)
    {
        LENGTHS[type & 0xFF] = length;
        TYPE_CODES[type & 0xFF] = String.valueOf((char)type).intern();
    }

    /**
     * @param type message type byte.
     * @return the exact length of that message in the specification, 0 when the type is unknown.
     */
    public static int lengthOf(final byte type)
    {
        return LENGTHS[type & 0xFF];
    }

    /**
     * @param type message type byte.
     * @return the type as a constant one-character String, null when unknown.
     */
    public static String typeCode(final byte type)
    {
        return TYPE_CODES[type & 0xFF];
    }

    /**
     * @param buffer holding a message.
     * @param offset of the message.
     * @return the 6-byte timestamp: nanoseconds since midnight.
     */
    public static long timestamp(final DirectBuffer buffer, final int offset)
    {
        return ((long)(buffer.getShort(offset + TIMESTAMP_OFFSET, ORDER) & 0xFFFF) << 32) |
            (buffer.getInt(offset + TIMESTAMP_OFFSET + 2, ORDER) & 0xFFFF_FFFFL);
    }

    /**
     * @param buffer holding a message.
     * @param offset of the message.
     * @return the stock locate.
     */
    public static int stockLocate(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + STOCK_LOCATE_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * @param buffer holding a message.
     * @param offset of the message.
     * @return the tracking number.
     */
    public static int trackingNumber(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TRACKING_NUMBER_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * @param buffer holding a message.
     * @param offset of the field.
     * @return an unsigned 4-byte integer (shares, Price(4)).
     */
    public static long uint32(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ORDER) & 0xFFFF_FFFFL;
    }

    /**
     * @param buffer holding a message.
     * @param offset of the field.
     * @return an 8-byte integer (order reference, match number, Price(8)).
     */
    public static long int64(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset, ORDER);
    }

    /**
     * Offset of the Stock field within a message of the given type, for the messages that carry one.
     *
     * @param type message type byte.
     * @return offset from the message start, -1 when the type has no Stock field.
     */
    public static int stockOffset(final byte type)
    {
        switch (type)
        {
            case STOCK_DIRECTORY:
            case STOCK_TRADING_ACTION:
            case REG_SHO_RESTRICTION:
            case IPO_QUOTING_PERIOD_UPDATE:
            case LULD_AUCTION_COLLAR:
            case OPERATIONAL_HALT:
            case RPII:
            case DLCR_PRICE_DISCOVERY:
                return 11;
            case MARKET_PARTICIPANT_POSITION:
                return 15;
            case ADD_ORDER:
            case ADD_ORDER_MPID:
            case TRADE:
                return 24;
            case CROSS_TRADE:
                return 19;
            case NOII:
                return 28;
            default:
                return -1;
        }
    }
}
