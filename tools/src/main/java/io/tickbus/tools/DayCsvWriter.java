package io.tickbus.tools;

import io.tickbus.client.InstrumentDirectory;
import io.tickbus.client.MarketDataListener;
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

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a day's normalized messages as CSV for research tools (pandas, kdb+): one file per message type, named
 * after it ({@code Trade.csv}), with a header row, the common block first, then the type's own fields decoded,
 * prices as decimals, enums by name. A book snapshot is one row per level. Missing is an empty field: a time of 0
 * (not set), an unsequenced message's globalSeq, an empty quote side (quantity 0: price and quantity both empty),
 * an unknown cumulative volume or execution price. Times are epoch nanoseconds, or ISO-8601 in a chosen zone.
 * <p>
 * Threading: one thread. Allocation: per row (an offline tool, not the hot path).
 */
final class DayCsvWriter implements MarketDataListener, AutoCloseable
{
    private static final String COMMON = "globalSeq,sequencerTime,sourceSeq,exchangeTime,receiveTime,publishTime," +
        "feedId,venue,instrumentId,symbol";

    private final Path dir;
    private final Map<String, Writer> writers = new TreeMap<>();
    private final Map<String, Long> rows = new TreeMap<>();
    private final InstrumentDirectory directory = new InstrumentDirectory();
    private final StringBuilder row = new StringBuilder(256);
    private final MessageSelection selection;
    private final DateTimeFormatter isoTimes;

    /**
     * @param dir where the files go (must exist).
     * @param selection which types get rows and which symbols' definitions are written; null for all.
     * @param zone times as ISO-8601 in this zone, or null for epoch nanoseconds.
     */
    DayCsvWriter(final Path dir, final MessageSelection selection, final ZoneId zone)
    {
        this.dir = dir;
        this.selection = selection;
        this.isoTimes = null == zone ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(zone);
    }

    DayCsvWriter(final Path dir)
    {
        this(dir, null, null);
    }

    /** @return the file written per message type. */
    Map<String, Path> files()
    {
        final Map<String, Path> files = new TreeMap<>();
        for (final String type : writers.keySet())
        {
            files.put(type, dir.resolve(type + ".csv"));
        }
        return files;
    }

    private boolean shows(final int templateId)
    {
        return null == selection || selection.shows(templateId);
    }

    private StringBuilder time(final long epochNanos)
    {
        if (0 == epochNanos)
        {
            return row;
        }
        if (null == isoTimes)
        {
            return row.append(epochNanos);
        }
        isoTimes.formatTo(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
            Math.floorMod(epochNanos, 1_000_000_000L)), row);
        return row;
    }

    /** @return rows written per file. */
    Map<String, Long> rows()
    {
        return rows;
    }

    private StringBuilder begin(final CommonDecoder c)
    {
        row.setLength(0);
        final InstrumentDirectory.Instrument instrument = directory.get(c.feedId(), c.instrumentId());
        if (0 != c.globalSeq())
        {
            row.append(c.globalSeq());
        }
        row.append(',');
        time(c.sequencerTime()).append(',').append(c.sourceSeq()).append(',');
        time(c.exchangeTime()).append(',');
        time(c.receiveTime()).append(',');
        time(c.publishTime()).append(',');
        return row.append(c.feedId()).append(',').append(c.venue()).append(',')
            .append(c.instrumentId()).append(',').append(null == instrument ? "" : csv(instrument.symbol()));
    }

    private static String csv(final String text)
    {
        final String trimmed = text.trim();
        return trimmed.indexOf(',') >= 0 || trimmed.indexOf('"') >= 0 ?
            '"' + trimmed.replace("\"", "\"\"") + '"' : trimmed;
    }

    private static String price(final Decimal64Decoder price)
    {
        return decimal(price.mantissa(), price.exponent());
    }

    private static String decimal(final long mantissa, final int exponent)
    {
        return mantissa == Long.MIN_VALUE ? "" : BigDecimal.valueOf(mantissa, -exponent).toPlainString();
    }

    private void write(final String type, final String columns, final CharSequence line)
    {
        try
        {
            Writer writer = writers.get(type);
            if (null == writer)
            {
                writer = new BufferedWriter(Files.newBufferedWriter(dir.resolve(type + ".csv"),
                    StandardCharsets.UTF_8), 1 << 16);
                writer.append(COMMON).append(columns.isEmpty() ? "" : "," + columns).append('\n');
                writers.put(type, writer);
            }
            writer.append(line).append('\n');
            rows.merge(type, 1L, Long::sum);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + dir.resolve(type + ".csv") + ": " + ex.getMessage(), ex);
        }
    }

    public void onInstrumentDefinition(final InstrumentDefinitionDecoder m)
    {
        directory.onDefinition(m);
        final var common = m.common();
        if (!shows(InstrumentDefinitionDecoder.TEMPLATE_ID) || (null != selection && null != selection.instruments() &&
            !selection.instruments().accept(common.feedId(), common.instrumentId())))
        {
            return;
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.securityType()).append(',')
            .append(m.priceExponent()).append(',').append(m.lotSize()).append(',')
            .append(decimal(m.tickSize(), m.priceExponent())).append(',').append(m.tradingDate());
        write("InstrumentDefinition", "securityType,priceExponent,lotSize,tickSize,tradingDate", b);
    }

    public void onAddOrder(final AddOrderDecoder m)
    {
        if (!shows(AddOrderDecoder.TEMPLATE_ID))
        {
            return;
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.orderId()).append(',').append(m.side())
            .append(',').append(price(m.price())).append(',').append(m.quantity()).append(',')
            .append(csv(m.attribution()));
        write("AddOrder", "orderId,side,price,quantity,attribution", b);
    }

    public void onModifyOrder(final ModifyOrderDecoder m)
    {
        if (!shows(ModifyOrderDecoder.TEMPLATE_ID))
        {
            return;
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.orderId()).append(',').append(m.newOrderId())
            .append(',').append(m.side()).append(',').append(price(m.price())).append(',').append(m.quantity());
        write("ModifyOrder", "orderId,newOrderId,side,price,quantity", b);
    }

    public void onCancelOrder(final CancelOrderDecoder m)
    {
        if (!shows(CancelOrderDecoder.TEMPLATE_ID))
        {
            return;
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.orderId()).append(',')
            .append(m.cancelledQuantity()).append(',').append(m.cancelType());
        write("CancelOrder", "orderId,cancelledQuantity,cancelType", b);
    }

    public void onExecuteOrder(final ExecuteOrderDecoder m)
    {
        if (!shows(ExecuteOrderDecoder.TEMPLATE_ID))
        {
            return;
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.orderId()).append(',')
            .append(m.executedQuantity()).append(',').append(price(m.price())).append(',').append(m.matchId())
            .append(',').append(m.printable());
        write("ExecuteOrder", "orderId,executedQuantity,price,matchId,printable", b);
    }

    public void onPriceLevelUpdate(final PriceLevelUpdateDecoder m)
    {
        if (!shows(PriceLevelUpdateDecoder.TEMPLATE_ID))
        {
            return;
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.side()).append(',').append(m.action())
            .append(',').append(m.level()).append(',').append(m.eventFlags()).append(',').append(price(m.price()))
            .append(',').append(m.quantity()).append(',').append(m.orderCount());
        write("PriceLevelUpdate", "side,action,level,eventFlags,price,quantity,orderCount", b);
    }

    public void onTrade(final TradeDecoder m)
    {
        if (!shows(TradeDecoder.TEMPLATE_ID))
        {
            return;
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.tradeId()).append(',').append(price(m.price()))
            .append(',').append(m.quantity()).append(',').append(m.aggressorSide()).append(',').append(m.tradeType())
            .append(',').append(m.saleConditions()).append(',')
            .append(m.cumulativeVolume() == TradeDecoder.cumulativeVolumeNullValue() || 0 == m.cumulativeVolume() ?
            "" : m.cumulativeVolume());
        write("Trade", "tradeId,price,quantity,aggressorSide,tradeType,saleConditions,cumulativeVolume", b);
    }

    public void onTopOfBook(final TopOfBookDecoder m)
    {
        if (!shows(TopOfBookDecoder.TEMPLATE_ID))
        {
            return;
        }
        // An empty side (quantity 0) has no price: both fields empty, never 0.0000,0.
        final StringBuilder b = begin(m.common()).append(',');
        if (m.bidQuantity() > 0)
        {
            b.append(price(m.bidPrice())).append(',').append(m.bidQuantity());
        }
        else
        {
            b.append(',');
        }
        b.append(',');
        if (m.askQuantity() > 0)
        {
            b.append(price(m.askPrice())).append(',').append(m.askQuantity());
        }
        else
        {
            b.append(',');
        }
        write("TopOfBook", "bidPrice,bidQuantity,askPrice,askQuantity", b);
    }

    public void onBookSnapshot(final BookSnapshotDecoder m)
    {
        if (!shows(BookSnapshotDecoder.TEMPLATE_ID))
        {
            return;
        }
        final String prefix = begin(m.common()).append(',').append(m.lastSourceSeq()).toString();
        final int exponent = m.priceExponent();
        for (final BookSnapshotDecoder.LevelsDecoder level : m.levels())
        {
            row.setLength(0);
            row.append(prefix).append(',').append(level.side()).append(',').append(decimal(level.price(), exponent))
                .append(',').append(level.quantity()).append(',').append(level.orderCount());
            write("BookSnapshot", "lastSourceSeq,side,price,quantity,orderCount", row);
        }
    }

    public void onTradingStatus(final TradingStatusDecoder m)
    {
        if (!shows(TradingStatusDecoder.TEMPLATE_ID))
        {
            return;
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.state()).append(',')
            .append(csv(String.valueOf((char)m.venueCode()))).append(',').append(csv(m.reason()));
        write("TradingStatus", "state,venueCode,reason", b);
    }

    public void onHeartbeat(final HeartbeatDecoder m)
    {
        if (!shows(HeartbeatDecoder.TEMPLATE_ID))
        {
            return;
        }
        write("Heartbeat", "", begin(m.common()));
    }

    public void onGapNotice(final GapNoticeDecoder m)
    {
        if (!shows(GapNoticeDecoder.TEMPLATE_ID))
        {
            return;
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.fromSeq()).append(',').append(m.toSeq())
            .append(',').append(m.reason());
        write("GapNotice", "fromSeq,toSeq,reason", b);
    }

    public void onEndOfSession(final EndOfSessionDecoder m)
    {
        if (!shows(EndOfSessionDecoder.TEMPLATE_ID))
        {
            return;
        }
        if (1 == m.endOfReplay())
        {
            return; // the replay's own marker, not part of the recorded day
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.tradingDate()).append(',')
            .append(m.messageCount());
        write("EndOfSession", "tradingDate,messageCount", b);
    }

    public void onMarketStatistic(final MarketStatisticDecoder m)
    {
        if (!shows(MarketStatisticDecoder.TEMPLATE_ID))
        {
            return;
        }
        final StringBuilder b = begin(m.common()).append(',').append(m.statType()).append(',').append(m.action())
            .append(',').append(' ' == m.venueCode() ? "" : String.valueOf((char)m.venueCode())).append(',')
            .append(m.qualifier()).append(',').append(price(m.price())).append(',').append(m.quantity()).append(',')
            .append(0 == m.tradingDate() ? "" : String.valueOf(m.tradingDate()));
        write("MarketStatistic", "statType,action,venueCode,qualifier,price,quantity,tradingDate", b);
    }

    public void close() throws IOException
    {
        IOException first = null;
        for (final Writer writer : writers.values())
        {
            try
            {
                writer.close();
            }
            catch (final IOException ex)
            {
                first = null == first ? ex : first;
            }
        }
        if (null != first)
        {
            throw first;
        }
    }
}
