package io.tickbus.tools;

import io.tickbus.client.InstrumentDirectory;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.CommonDecoder;
import io.tickbus.sbe.Decimal64Decoder;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.GapNoticeDecoder;
import io.tickbus.sbe.HeartbeatDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.MarketStatisticDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.TopOfBookDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradingStatusDecoder;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Renders decoded Tickbus messages as one line each, in a human form
 * ({@code 14:30:00.000123456 Trade AAPL feed=1 src=42 gseq=0 price=189.23 qty=100 ...}) or as a JSON object with
 * every field ({@code {"type":"Trade","globalSeq":0,...,"price":189.23,...}}). Prices are printed as exact decimals
 * from mantissa and exponent; a null price (mantissa {@code Long.MIN_VALUE}) prints as {@code -} or {@code null}.
 * <p>
 * Threading: one thread. Allocation: it reuses one {@link StringBuilder}, but prices and times allocate; this is
 * for operators' eyes and scripts, not a hot path.
 */
public final class MessageFormatter
{
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSSSSS")
        .withZone(ZoneOffset.UTC);

    private final StringBuilder sb = new StringBuilder(256);
    private final boolean json;
    private final InstrumentDirectory directory;

    /**
     * @param json JSON objects when true, the human form otherwise.
     * @param directory resolves symbols, or null.
     */
    public MessageFormatter(final boolean json, final InstrumentDirectory directory)
    {
        this.json = json;
        this.directory = directory;
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final InstrumentDefinitionDecoder msg)
    {
        begin(InstrumentDefinitionDecoder.TEMPLATE_ID, msg.common());
        field("symbol", InstrumentDirectory.symbolOf(msg));
        field("securityType", msg.securityType().name());
        field("priceExponent", msg.priceExponent());
        field("lotSize", msg.lotSize());
        field("tickSize", msg.tickSize());
        field("tradingDate", msg.tradingDate());
        if (InstrumentDefinitionDecoder.displayFactorMantissaNullValue() != msg.displayFactorMantissa())
        {
            field("displayFactor", decimal(msg.displayFactorMantissa(), msg.displayFactorExponent()));
        }
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final AddOrderDecoder msg)
    {
        begin(AddOrderDecoder.TEMPLATE_ID, msg.common());
        field("orderId", Long.toUnsignedString(msg.orderId()));
        field("side", msg.side().name());
        price("price", msg.price());
        field("quantity", msg.quantity());
        field("attribution", msg.attribution().trim());
        if (AddOrderDecoder.priorityNullValue() != msg.priority())
        {
            field("priority", msg.priority());
        }
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final ModifyOrderDecoder msg)
    {
        begin(ModifyOrderDecoder.TEMPLATE_ID, msg.common());
        field("orderId", Long.toUnsignedString(msg.orderId()));
        field("newOrderId", Long.toUnsignedString(msg.newOrderId()));
        field("side", msg.side().name());
        price("price", msg.price());
        field("quantity", msg.quantity());
        if (ModifyOrderDecoder.priorityNullValue() != msg.priority())
        {
            field("priority", msg.priority());
        }
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final CancelOrderDecoder msg)
    {
        begin(CancelOrderDecoder.TEMPLATE_ID, msg.common());
        field("orderId", Long.toUnsignedString(msg.orderId()));
        field("cancelledQuantity", msg.cancelledQuantity());
        field("cancelType", msg.cancelType().name());
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final ExecuteOrderDecoder msg)
    {
        begin(ExecuteOrderDecoder.TEMPLATE_ID, msg.common());
        field("orderId", Long.toUnsignedString(msg.orderId()));
        field("executedQuantity", msg.executedQuantity());
        price("price", msg.price());
        field("matchId", Long.toUnsignedString(msg.matchId()));
        field("printable", msg.printable());
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final PriceLevelUpdateDecoder msg)
    {
        begin(PriceLevelUpdateDecoder.TEMPLATE_ID, msg.common());
        field("side", msg.side().name());
        field("action", msg.action().name());
        field("level", msg.level());
        field("eventFlags", msg.eventFlags());
        price("price", msg.price());
        field("quantity", msg.quantity());
        field("orderCount", msg.orderCount());
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final TradeDecoder msg)
    {
        begin(TradeDecoder.TEMPLATE_ID, msg.common());
        field("tradeId", Long.toUnsignedString(msg.tradeId()));
        price("price", msg.price());
        field("quantity", msg.quantity());
        field("aggressorSide", msg.aggressorSide().name());
        field("tradeType", msg.tradeType().name());
        field("saleConditions", msg.saleConditions());
        field("cumulativeVolume", msg.cumulativeVolume());
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final TopOfBookDecoder msg)
    {
        begin(TopOfBookDecoder.TEMPLATE_ID, msg.common());
        price("bidPrice", msg.bidPrice());
        field("bidQuantity", msg.bidQuantity());
        price("askPrice", msg.askPrice());
        field("askQuantity", msg.askQuantity());
        return end();
    }

    /**
     * @param msg the message; its levels group is read.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final BookSnapshotDecoder msg)
    {
        begin(BookSnapshotDecoder.TEMPLATE_ID, msg.common());
        field("lastSourceSeq", msg.lastSourceSeq());
        final int exponent = msg.priceExponent();
        field("priceExponent", exponent);
        final BookSnapshotDecoder.LevelsDecoder levels = msg.levels();
        field("levelCount", levels.count());
        sb.append(json ? ",\"levels\":[" : " levels=[");
        boolean first = true;
        while (levels.hasNext())
        {
            levels.next();
            if (!first)
            {
                sb.append(json ? "," : " ");
            }
            first = false;
            if (json)
            {
                sb.append("{\"side\":\"").append(levels.side().name()).append("\",\"price\":")
                    .append(decimal(levels.price(), exponent)).append(",\"quantity\":").append(levels.quantity())
                    .append(",\"orderCount\":").append(levels.orderCount()).append('}');
            }
            else
            {
                sb.append(levels.side().name().charAt(0)).append(' ').append(levels.quantity()).append('@')
                    .append(decimal(levels.price(), exponent));
            }
        }
        sb.append(']');
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final TradingStatusDecoder msg)
    {
        begin(TradingStatusDecoder.TEMPLATE_ID, msg.common());
        field("state", msg.state().name());
        field("venueCode", String.valueOf((char)msg.venueCode()).trim());
        field("reason", msg.reason().trim());
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final HeartbeatDecoder msg)
    {
        begin(HeartbeatDecoder.TEMPLATE_ID, msg.common());
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final GapNoticeDecoder msg)
    {
        begin(GapNoticeDecoder.TEMPLATE_ID, msg.common());
        field("fromSeq", msg.fromSeq());
        field("toSeq", msg.toSeq());
        field("reason", msg.reason().name());
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final EndOfSessionDecoder msg)
    {
        begin(EndOfSessionDecoder.TEMPLATE_ID, msg.common());
        field("tradingDate", msg.tradingDate());
        field("messageCount", msg.messageCount());
        field("endOfReplay", msg.endOfReplay());
        return end();
    }

    /**
     * @param msg the message.
     * @return its line, valid until the next call.
     */
    public CharSequence format(final MarketStatisticDecoder msg)
    {
        begin(MarketStatisticDecoder.TEMPLATE_ID, msg.common());
        field("statType", msg.statType().name());
        field("action", msg.action().name());
        field("venueCode", String.valueOf((char)msg.venueCode()));
        field("qualifier", msg.qualifier());
        price("price", msg.price());
        field("quantity", msg.quantity());
        field("tradingDate", msg.tradingDate());
        return end();
    }

    /**
     * @param mantissa price mantissa; {@code Long.MIN_VALUE} is null.
     * @param exponent power of ten.
     * @return the exact decimal text, or null for the null price.
     */
    public static String decimal(final long mantissa, final int exponent)
    {
        if (Long.MIN_VALUE == mantissa)
        {
            return null;
        }
        return BigDecimal.valueOf(mantissa, -exponent).toPlainString();
    }

    private void begin(final int templateId, final CommonDecoder common)
    {
        sb.setLength(0);
        final String symbol = symbol(common.feedId(), common.instrumentId());
        if (json)
        {
            sb.append("{\"type\":\"").append(TemplateNames.name(templateId)).append('"');
            field("globalSeq", common.globalSeq());
            field("sequencerTime", common.sequencerTime());
            field("sourceSeq", common.sourceSeq());
            field("exchangeTime", common.exchangeTime());
            field("receiveTime", common.receiveTime());
            field("publishTime", common.publishTime());
            field("instrumentId", common.instrumentId());
            if (null != symbol && templateId != InstrumentDefinitionDecoder.TEMPLATE_ID)
            {
                field("symbol", symbol);
            }
            field("feedId", common.feedId());
            field("venue", common.venue().name());
            field("flags", common.flags());
        }
        else
        {
            final long time = 0 != common.exchangeTime() ? common.exchangeTime() : common.publishTime();
            sb.append(TIME.format(Instant.ofEpochSecond(0, time))).append(' ');
            sb.append(TemplateNames.name(templateId));
            if (templateId != InstrumentDefinitionDecoder.TEMPLATE_ID)
            {
                sb.append(' ').append(null != symbol ? symbol : ("#" + common.instrumentId()));
            }
            field("feed", common.feedId());
            field("src", common.sourceSeq());
            if (0 != common.globalSeq())
            {
                field("gseq", common.globalSeq());
            }
        }
    }

    private String symbol(final int feedId, final int instrumentId)
    {
        if (null == directory || 0 == instrumentId)
        {
            return null;
        }
        final InstrumentDirectory.Instrument instrument = directory.get(feedId, instrumentId);
        return null == instrument ? null : instrument.symbol();
    }

    private void field(final String name, final long value)
    {
        sb.append(json ? ",\"" : " ").append(name).append(json ? "\":" : "=").append(value);
    }

    private void field(final String name, final String value)
    {
        if (json)
        {
            sb.append(",\"").append(name).append("\":");
            Json.appendString(sb, value);
        }
        else
        {
            sb.append(' ').append(name).append('=').append(value.isEmpty() ? "-" : value);
        }
    }

    private void price(final String name, final Decimal64Decoder price)
    {
        final String text = decimal(price.mantissa(), price.exponent());
        sb.append(json ? ",\"" : " ").append(name).append(json ? "\":" : "=");
        sb.append(null == text ? (json ? "null" : "-") : text);
    }

    private CharSequence end()
    {
        if (json)
        {
            sb.append('}');
        }
        return sb;
    }
}
