package io.tickbus.feed.iex;

import java.nio.ByteOrder;

/**
 * Layout of the IEX Transport Protocol v1 (IEX-TP) segment and of the TOPS 1.6 / DEEP 1.0 messages it carries,
 * as published by IEX. Everything is little-endian; prices are int64 with 4 implied decimals; timestamps are int64
 * nanoseconds since the Unix epoch; symbols are 8 ASCII bytes, right-padded with spaces.
 * <p>
 * Segment: a 40-byte header, then {@code messageCount} blocks of a 2-byte message length and the message.
 * Every message starts with its 1-byte type; all but the system event carry the 8-byte symbol at offset 10.
 * <p>
 * Stateless constants only.
 */
public final class IexTp
{
    /** Byte order of every IEX-TP field. */
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    /** IEX-TP version this decoder understands. */
    public static final int VERSION = 1;
    /** Message protocol id of TOPS. */
    public static final int PROTOCOL_TOPS = 0x8003;
    /** Message protocol id of DEEP. */
    public static final int PROTOCOL_DEEP = 0x8004;

    /** Offset of the version (uint8). */
    public static final int VERSION_OFFSET = 0;
    /** Offset of the message protocol id (uint16). */
    public static final int PROTOCOL_ID_OFFSET = 2;
    /** Offset of the channel id (uint32). */
    public static final int CHANNEL_ID_OFFSET = 4;
    /** Offset of the session id (uint32). */
    public static final int SESSION_ID_OFFSET = 8;
    /** Offset of the payload length (uint16): bytes after the header. */
    public static final int PAYLOAD_LENGTH_OFFSET = 12;
    /** Offset of the message count (uint16); 0 makes the segment a heartbeat. */
    public static final int MESSAGE_COUNT_OFFSET = 14;
    /** Offset of the stream offset (int64). */
    public static final int STREAM_OFFSET_OFFSET = 16;
    /** Offset of the first message sequence number (int64). */
    public static final int FIRST_SEQ_OFFSET = 24;
    /** Offset of the send time (int64 epoch ns). */
    public static final int SEND_TIME_OFFSET = 32;
    /** Length of the segment header. */
    public static final int HEADER_LENGTH = 40;
    /** Length of the length prefix before each message. */
    public static final int MESSAGE_LENGTH_FIELD = 2;

    /** Implied decimals of every IEX price: 4, so the Tickbus exponent is -4. */
    public static final byte PRICE_EXPONENT = -4;

    /** Offset of the message type in every message. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the second byte (flags, status, event or price type depending on the message). */
    public static final int FLAGS_OFFSET = 1;
    /** Offset of the timestamp in every message. */
    public static final int TIMESTAMP_OFFSET = 2;
    /** Offset of the symbol in every message but the system event. */
    public static final int SYMBOL_OFFSET = 10;
    /** Length of the symbol. */
    public static final int SYMBOL_LENGTH = 8;

    /** System event 'S': event code at 1, timestamp at 2; length 10. */
    public static final byte SYSTEM_EVENT = 'S';
    /** Length of the system event. */
    public static final int SYSTEM_EVENT_LENGTH = 10;

    /** Security directory 'D': flags 1, ts 2, symbol 10, round lot size u32 18, adjusted POC price 22, LULD tier 30. */
    public static final byte SECURITY_DIRECTORY = 'D';
    /** Offset of the round lot size. */
    public static final int DIRECTORY_ROUND_LOT_OFFSET = 18;
    /** Offset of the adjusted POC (previous official closing) price. */
    public static final int DIRECTORY_ADJUSTED_POC_OFFSET = 22;
    /** Offset of the LULD tier. */
    public static final int DIRECTORY_LULD_TIER_OFFSET = 30;
    /** Length of the security directory. */
    public static final int SECURITY_DIRECTORY_LENGTH = 31;
    /** Directory flag: test security. */
    public static final int DIRECTORY_FLAG_TEST = 0x80;
    /** Directory flag: when-issued security. */
    public static final int DIRECTORY_FLAG_WHEN_ISSUED = 0x40;
    /** Directory flag: ETP. */
    public static final int DIRECTORY_FLAG_ETP = 0x20;

    /** Trading status 'H': status 1, ts 2, symbol 10, reason (4 chars) 18; length 22. */
    public static final byte TRADING_STATUS = 'H';
    /** Offset of the trading status reason. */
    public static final int TRADING_STATUS_REASON_OFFSET = 18;
    /** Length of the trading status message. */
    public static final int TRADING_STATUS_LENGTH = 22;

    /** Retail liquidity indicator 'I': indicator 1, ts 2, symbol 10; length 18. */
    public static final byte RETAIL_LIQUIDITY_INDICATOR = 'I';
    /** Operational halt status 'O': halt status 1, ts 2, symbol 10; length 18. */
    public static final byte OPERATIONAL_HALT = 'O';
    /** Short sale price test status 'P': status 1, ts 2, symbol 10, detail 18; length 19. */
    public static final byte SHORT_SALE_PRICE_TEST = 'P';
    /** Length of the short sale price test status message. */
    public static final int SHORT_SALE_PRICE_TEST_LENGTH = 19;
    /** Security event 'E' (DEEP): event 1, ts 2, symbol 10; length 18. */
    public static final byte SECURITY_EVENT = 'E';
    /** Length of the messages that are type, one byte, timestamp and symbol ('I', 'O', 'E'). */
    public static final int SYMBOL_EVENT_LENGTH = 18;

    /** Quote update 'Q' (TOPS): flags 1, ts 2, symbol 10, bid size u32 18, bid 22, ask 30, ask size u32 38. */
    public static final byte QUOTE_UPDATE = 'Q';
    /** Offset of the bid size. */
    public static final int QUOTE_BID_SIZE_OFFSET = 18;
    /** Offset of the bid price. */
    public static final int QUOTE_BID_PRICE_OFFSET = 22;
    /** Offset of the ask price. */
    public static final int QUOTE_ASK_PRICE_OFFSET = 30;
    /** Offset of the ask size. */
    public static final int QUOTE_ASK_SIZE_OFFSET = 38;
    /** Length of the quote update. */
    public static final int QUOTE_UPDATE_LENGTH = 42;

    /** Trade report 'T': sale condition flags 1, ts 2, symbol 10, size u32 18, price 22, trade id 30; length 38. */
    public static final byte TRADE_REPORT = 'T';
    /** Trade break 'B': same layout as the trade report. */
    public static final byte TRADE_BREAK = 'B';
    /** Offset of the trade size. */
    public static final int TRADE_SIZE_OFFSET = 18;
    /** Offset of the trade price. */
    public static final int TRADE_PRICE_OFFSET = 22;
    /** Offset of the trade id. */
    public static final int TRADE_ID_OFFSET = 30;
    /** Length of the trade report and trade break. */
    public static final int TRADE_LENGTH = 38;

    /** Official price 'X': price type 1 ('Q' opening, 'M' closing), ts 2, symbol 10, price 18; length 26. */
    public static final byte OFFICIAL_PRICE = 'X';
    /** Offset of the official price. */
    public static final int OFFICIAL_PRICE_OFFSET = 18;
    /** Length of the official price message. */
    public static final int OFFICIAL_PRICE_LENGTH = 26;

    /** Auction information 'A': auction type 1, ts 2, symbol 10, then the auction fields; length 80. */
    public static final byte AUCTION_INFORMATION = 'A';
    /** Length of the auction information message. */
    public static final int AUCTION_INFORMATION_LENGTH = 80;

    /** Price level update on the buy side '8' (DEEP): event flags 1, ts 2, symbol 10, size u32 18, price 22. */
    public static final byte PRICE_LEVEL_BUY = '8';
    /** Price level update on the sell side '5' (DEEP): same layout as '8'. */
    public static final byte PRICE_LEVEL_SELL = '5';
    /** Offset of the level size. */
    public static final int LEVEL_SIZE_OFFSET = 18;
    /** Offset of the level price. */
    public static final int LEVEL_PRICE_OFFSET = 22;
    /** Length of a price level update. */
    public static final int PRICE_LEVEL_LENGTH = 30;

    /** System event codes: start of messages. */
    public static final byte SYSTEM_START_OF_MESSAGES = 'O';
    /** System event codes: end of messages. */
    public static final byte SYSTEM_END_OF_MESSAGES = 'C';

    private IexTp()
    {
    }

    /**
     * The fixed length the specification gives a message type, or -1 for a type the specifications do not define.
     * A longer message is accepted (fields appended by a later revision are ignored), a shorter one is malformed.
     *
     * @param type the message type byte.
     * @return minimum length in bytes, or -1 when unknown.
     */
    public static int minimumLength(final byte type)
    {
        switch (type)
        {
            case SYSTEM_EVENT:
                return SYSTEM_EVENT_LENGTH;
            case SECURITY_DIRECTORY:
                return SECURITY_DIRECTORY_LENGTH;
            case TRADING_STATUS:
                return TRADING_STATUS_LENGTH;
            case RETAIL_LIQUIDITY_INDICATOR:
            case OPERATIONAL_HALT:
            case SECURITY_EVENT:
                return SYMBOL_EVENT_LENGTH;
            case SHORT_SALE_PRICE_TEST:
                return SHORT_SALE_PRICE_TEST_LENGTH;
            case QUOTE_UPDATE:
                return QUOTE_UPDATE_LENGTH;
            case TRADE_REPORT:
            case TRADE_BREAK:
                return TRADE_LENGTH;
            case OFFICIAL_PRICE:
                return OFFICIAL_PRICE_LENGTH;
            case AUCTION_INFORMATION:
                return AUCTION_INFORMATION_LENGTH;
            case PRICE_LEVEL_BUY:
            case PRICE_LEVEL_SELL:
                return PRICE_LEVEL_LENGTH;
            default:
                return -1;
        }
    }
}
