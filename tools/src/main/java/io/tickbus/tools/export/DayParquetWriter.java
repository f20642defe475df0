package io.tickbus.tools.export;

import io.tickbus.client.InstrumentDirectory;
import io.tickbus.client.InstrumentFilter;
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
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Writes a day's normalized messages as Parquet for research tools (pandas, polars, DuckDB, Spark): one file per
 * message type ({@code Trade.parquet}), typed columns. Every file starts with the common block, in the CSV
 * export's order: {@code globalSeq, sequencerTime, sourceSeq, exchangeTime, receiveTime, publishTime, feedId, venue,
 * instrumentId, symbol, flags}, then the type's own fields. The column rules (docs/export.md):
 * <ul>
 *     <li>times are {@code TIMESTAMP(NANOS, UTC)}; a time of 0 ("not set") is null;</li>
 *     <li>a price is two columns, {@code <name>Mantissa} (INT64) and {@code <name>Exponent} (INT8): exact, the
 *     wire's own fixed point, one file holding instruments of any exponent; a missing price is a null mantissa;</li>
 *     <li>symbols and enum names are dictionary-encoded strings; unsigned SBE fields carry Parquet's unsigned
 *     integer annotation;</li>
 *     <li>missing is null: an empty quote side (quantity 0), an unknown cumulative volume, an unsequenced
 *     message's globalSeq, a blank attribution.</li>
 * </ul>
 * A book snapshot is one row per level. The replay's own end marker (EndOfSession with endOfReplay = 1) is not
 * written.
 * <p>
 * Threading: one thread. Allocation: none per row in steady state (symbol and enum strings are cached), apart from
 * parquet-java's column buffers.
 */
public final class DayParquetWriter implements MarketDataListener, AutoCloseable
{
    private final Path dir;
    private final InstrumentFilter filter;
    private final IntPredicate shows;
    private final InstrumentDirectory directory = new InstrumentDirectory();
    private final Map<String, ParquetTable> tables = new TreeMap<>();
    private final Long2ObjectHashMap<Binary> symbols = new Long2ObjectHashMap<>();
    private final Map<Enum<?>, Binary> enumNames = new HashMap<>();
    private final Int2ObjectHashMap<Binary> codes = new Int2ObjectHashMap<>();

    private InstrumentDefinitionDecoder definition;
    private AddOrderDecoder addOrder;
    private ModifyOrderDecoder modifyOrder;
    private CancelOrderDecoder cancelOrder;
    private ExecuteOrderDecoder executeOrder;
    private PriceLevelUpdateDecoder priceLevel;
    private TradeDecoder trade;
    private TopOfBookDecoder topOfBook;
    private BookSnapshotDecoder snapshot;
    private BookSnapshotDecoder.LevelsDecoder level;
    private TradingStatusDecoder status;
    private HeartbeatDecoder heartbeat;
    private GapNoticeDecoder gap;
    private EndOfSessionDecoder endOfSession;
    private MarketStatisticDecoder statistic;

    private final ParquetTable.Row definitionRow = this::definitionRow;
    private final ParquetTable.Row addOrderRow = this::addOrderRow;
    private final ParquetTable.Row modifyOrderRow = this::modifyOrderRow;
    private final ParquetTable.Row cancelOrderRow = this::cancelOrderRow;
    private final ParquetTable.Row executeOrderRow = this::executeOrderRow;
    private final ParquetTable.Row priceLevelRow = this::priceLevelRow;
    private final ParquetTable.Row tradeRow = this::tradeRow;
    private final ParquetTable.Row topOfBookRow = this::topOfBookRow;
    private final ParquetTable.Row snapshotRow = this::snapshotRow;
    private final ParquetTable.Row statusRow = this::statusRow;
    private final ParquetTable.Row heartbeatRow = (table) -> common(table, heartbeat.common());
    private final ParquetTable.Row gapRow = this::gapRow;
    private final ParquetTable.Row endOfSessionRow = this::endOfSessionRow;
    private final ParquetTable.Row statisticRow = this::statisticRow;

    /**
     * @param dir where the files go (must exist).
     * @param filter the symbol filter the messages passed, so that definitions of other symbols are left out too;
     *               null for all.
     * @param shows which message types (by template id) get rows; the others are read (definitions still name
     *              the symbols) but not written.
     */
    public DayParquetWriter(final Path dir, final InstrumentFilter filter, final IntPredicate shows)
    {
        this.dir = dir;
        this.filter = filter;
        this.shows = shows;
    }

    /** @return rows written per message type, by name. */
    public Map<String, Long> rows()
    {
        final Map<String, Long> rows = new TreeMap<>();
        tables.forEach((name, table) -> rows.put(name, table.rows()));
        return rows;
    }

    /** @return the files written, by message type name. */
    public Map<String, Path> files()
    {
        final Map<String, Path> files = new TreeMap<>();
        tables.forEach((name, table) -> files.put(name, table.file()));
        return files;
    }

    // ---- schemas -------------------------------------------------------------------------------------------------

    private static Types.GroupBuilder<MessageType> commonColumns()
    {
        final Types.MessageTypeBuilder b = Types.buildMessage();
        b.optional(PrimitiveTypeName.INT64).named("globalSeq");
        timestamp(b, "sequencerTime");
        b.required(PrimitiveTypeName.INT64).named("sourceSeq");
        timestamp(b, "exchangeTime");
        timestamp(b, "receiveTime");
        timestamp(b, "publishTime");
        b.required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(16, false)).named("feedId");
        string(b, "venue", true);
        b.required(PrimitiveTypeName.INT32).named("instrumentId");
        string(b, "symbol", false);
        b.required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(8, false)).named("flags");
        return b;
    }

    private static void timestamp(final Types.GroupBuilder<?> b, final String name)
    {
        b.optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.NANOS)).named(name);
    }

    private static void string(final Types.GroupBuilder<?> b, final String name, final boolean required)
    {
        (required ? b.required(PrimitiveTypeName.BINARY) : b.optional(PrimitiveTypeName.BINARY))
            .as(LogicalTypeAnnotation.stringType()).named(name);
    }

    private static void price(final Types.GroupBuilder<?> b, final String name)
    {
        b.optional(PrimitiveTypeName.INT64).named(name + "Mantissa");
        b.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(8, true)).named(name + "Exponent");
    }

    private static void int64(final Types.GroupBuilder<?> b, final String name, final boolean required)
    {
        (required ? b.required(PrimitiveTypeName.INT64) : b.optional(PrimitiveTypeName.INT64)).named(name);
    }

    private static void uint64(final Types.GroupBuilder<?> b, final String name)
    {
        b.required(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.intType(64, false)).named(name);
    }

    private static void uint8(final Types.GroupBuilder<?> b, final String name)
    {
        b.required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(8, false)).named(name);
    }

    private static void date(final Types.GroupBuilder<?> b, final String name)
    {
        b.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
    }

    /**
     * @param type a message type name, as {@link io.tickbus.tools.TemplateNames} spells it.
     * @return its Parquet schema.
     */
    public static MessageType schema(final String type)
    {
        final Types.GroupBuilder<MessageType> b = commonColumns();
        switch (type)
        {
            case "InstrumentDefinition":
                string(b, "securityType", true);
                b.required(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(8, true)).named("priceExponent");
                b.required(PrimitiveTypeName.INT32).named("lotSize");
                int64(b, "tickSizeMantissa", true);
                date(b, "tradingDate");
                break;
            case "AddOrder":
                uint64(b, "orderId");
                string(b, "side", true);
                price(b, "price");
                int64(b, "quantity", true);
                string(b, "attribution", false);
                break;
            case "ModifyOrder":
                uint64(b, "orderId");
                uint64(b, "newOrderId");
                string(b, "side", true);
                price(b, "price");
                int64(b, "quantity", true);
                break;
            case "CancelOrder":
                uint64(b, "orderId");
                int64(b, "cancelledQuantity", true);
                string(b, "cancelType", true);
                break;
            case "ExecuteOrder":
                uint64(b, "orderId");
                int64(b, "executedQuantity", true);
                price(b, "price");
                uint64(b, "matchId");
                uint8(b, "printable");
                break;
            case "PriceLevelUpdate":
                string(b, "side", true);
                string(b, "action", true);
                uint8(b, "level");
                uint8(b, "eventFlags");
                price(b, "price");
                int64(b, "quantity", true);
                b.optional(PrimitiveTypeName.INT32).named("orderCount");
                break;
            case "Trade":
                uint64(b, "tradeId");
                price(b, "price");
                int64(b, "quantity", true);
                string(b, "aggressorSide", true);
                string(b, "tradeType", true);
                uint8(b, "saleConditions");
                int64(b, "cumulativeVolume", false);
                break;
            case "TopOfBook":
                price(b, "bidPrice");
                int64(b, "bidQuantity", false);
                price(b, "askPrice");
                int64(b, "askQuantity", false);
                break;
            case "BookSnapshot":
                int64(b, "lastSourceSeq", true);
                string(b, "side", true);
                price(b, "price");
                int64(b, "quantity", true);
                b.optional(PrimitiveTypeName.INT32).named("orderCount");
                break;
            case "TradingStatus":
                string(b, "state", true);
                string(b, "venueCode", false);
                string(b, "reason", false);
                break;
            case "Heartbeat":
                break;
            case "GapNotice":
                int64(b, "fromSeq", true);
                int64(b, "toSeq", true);
                string(b, "reason", true);
                break;
            case "EndOfSession":
                date(b, "tradingDate");
                int64(b, "messageCount", false);
                break;
            case "MarketStatistic":
                string(b, "statType", true);
                string(b, "action", true);
                string(b, "venueCode", false);
                uint8(b, "qualifier");
                price(b, "price");
                int64(b, "quantity", true);
                date(b, "tradingDate");
                break;
            default:
                throw new IllegalArgumentException("no Parquet schema for message type " + type);
        }
        return b.named(type);
    }

    // ---- values --------------------------------------------------------------------------------------------------

    private ParquetTable table(final String type)
    {
        ParquetTable table = tables.get(type);
        if (null == table)
        {
            table = new ParquetTable(dir.resolve(type + ".parquet"), schema(type));
            tables.put(type, table);
        }
        return table;
    }

    private boolean skipped(final CommonDecoder c)
    {
        return null != filter && !filter.accept(c.feedId(), c.instrumentId());
    }

    private void common(final ParquetTable t, final CommonDecoder c)
    {
        t.int64OrNull(c.globalSeq(), 0)
            .int64OrNull(c.sequencerTime(), 0)
            .int64(c.sourceSeq())
            .int64OrNull(c.exchangeTime(), 0)
            .int64OrNull(c.receiveTime(), 0)
            .int64OrNull(c.publishTime(), 0)
            .int32(c.feedId())
            .string(name(c.venue()))
            .int32(c.instrumentId())
            .string(symbols.get(InstrumentDirectory.key(c.feedId(), c.instrumentId())))
            .int32(c.flags());
    }

    private Binary name(final Enum<?> value)
    {
        Binary name = enumNames.get(value);
        if (null == name)
        {
            name = Binary.fromConstantByteArray(value.name().getBytes(StandardCharsets.US_ASCII));
            enumNames.put(value, name);
        }
        return name;
    }

    /** A short ASCII code (up to 4 bytes, space or NUL padded) as a cached string, null when blank. */
    private Binary code(final int packed)
    {
        if (0 == packed)
        {
            return null;
        }
        Binary code = codes.get(packed);
        if (null == code)
        {
            final StringBuilder sb = new StringBuilder(4);
            for (int shift = 24; shift >= 0; shift -= 8)
            {
                final int b = (packed >>> shift) & 0xFF;
                if (0 != b)
                {
                    sb.append((char)b);
                }
            }
            final String text = sb.toString().trim();
            code = text.isEmpty() ? null : Binary.fromConstantByteArray(text.getBytes(StandardCharsets.US_ASCII));
            if (null == code)
            {
                return null;
            }
            codes.put(packed, code);
        }
        return code;
    }

    private static int pack(final int b0, final int b1, final int b2, final int b3)
    {
        return blank(b0) << 24 | blank(b1) << 16 | blank(b2) << 8 | blank(b3);
    }

    private static int blank(final int b)
    {
        return ' ' == b ? 0 : b & 0xFF;
    }

    private static void price(final ParquetTable t, final Decimal64Decoder price, final boolean present)
    {
        if (!present || Decimal64Decoder.mantissaNullValue() == price.mantissa())
        {
            t.nullValue().int32(price.exponent());
        }
        else
        {
            t.int64(price.mantissa()).int32(price.exponent());
        }
    }

    private static void date(final ParquetTable t, final int yyyymmdd)
    {
        if (yyyymmdd <= 0)
        {
            t.nullValue();
            return;
        }
        t.int32((int)LocalDate.of(yyyymmdd / 10_000, yyyymmdd / 100 % 100, yyyymmdd % 100).toEpochDay());
    }

    // ---- rows ----------------------------------------------------------------------------------------------------

    private void definitionRow(final ParquetTable t)
    {
        final InstrumentDefinitionDecoder m = definition;
        common(t, m.common());
        t.string(name(m.securityType())).int32(m.priceExponent()).int32(m.lotSize()).int64(m.tickSize());
        date(t, m.tradingDate());
    }

    private void addOrderRow(final ParquetTable t)
    {
        final AddOrderDecoder m = addOrder;
        common(t, m.common());
        t.int64(m.orderId()).string(name(m.side()));
        price(t, m.price(), true);
        t.int64(m.quantity()).string(code(pack(m.attribution(0), m.attribution(1), m.attribution(2),
            m.attribution(3))));
    }

    private void modifyOrderRow(final ParquetTable t)
    {
        final ModifyOrderDecoder m = modifyOrder;
        common(t, m.common());
        t.int64(m.orderId()).int64(m.newOrderId()).string(name(m.side()));
        price(t, m.price(), true);
        t.int64(m.quantity());
    }

    private void cancelOrderRow(final ParquetTable t)
    {
        final CancelOrderDecoder m = cancelOrder;
        common(t, m.common());
        t.int64(m.orderId()).int64(m.cancelledQuantity()).string(name(m.cancelType()));
    }

    private void executeOrderRow(final ParquetTable t)
    {
        final ExecuteOrderDecoder m = executeOrder;
        common(t, m.common());
        t.int64(m.orderId()).int64(m.executedQuantity());
        price(t, m.price(), true);
        t.int64(m.matchId()).int32(m.printable());
    }

    private void priceLevelRow(final ParquetTable t)
    {
        final PriceLevelUpdateDecoder m = priceLevel;
        common(t, m.common());
        t.string(name(m.side())).string(name(m.action())).int32(m.level()).int32(m.eventFlags());
        price(t, m.price(), true);
        t.int64(m.quantity());
        if (m.orderCount() < 0)
        {
            t.nullValue();
        }
        else
        {
            t.int32(m.orderCount());
        }
    }

    private void tradeRow(final ParquetTable t)
    {
        final TradeDecoder m = trade;
        common(t, m.common());
        t.int64(m.tradeId());
        price(t, m.price(), true);
        t.int64(m.quantity()).string(name(m.aggressorSide())).string(name(m.tradeType())).int32(m.saleConditions());
        final long volume = m.cumulativeVolume();
        if (0 == volume || TradeDecoder.cumulativeVolumeNullValue() == volume)
        {
            t.nullValue();
        }
        else
        {
            t.int64(volume);
        }
    }

    private void topOfBookRow(final ParquetTable t)
    {
        final TopOfBookDecoder m = topOfBook;
        common(t, m.common());
        final boolean bid = m.bidQuantity() > 0;
        price(t, m.bidPrice(), bid);
        if (bid)
        {
            t.int64(m.bidQuantity());
        }
        else
        {
            t.nullValue();
        }
        final boolean ask = m.askQuantity() > 0;
        price(t, m.askPrice(), ask);
        if (ask)
        {
            t.int64(m.askQuantity());
        }
        else
        {
            t.nullValue();
        }
    }

    private void snapshotRow(final ParquetTable t)
    {
        final BookSnapshotDecoder m = snapshot;
        final BookSnapshotDecoder.LevelsDecoder l = level;
        common(t, m.common());
        t.int64(m.lastSourceSeq()).string(name(l.side())).int64(l.price()).int32(m.priceExponent())
            .int64(l.quantity());
        if (l.orderCount() < 0)
        {
            t.nullValue();
        }
        else
        {
            t.int32(l.orderCount());
        }
    }

    private void statusRow(final ParquetTable t)
    {
        final TradingStatusDecoder m = status;
        common(t, m.common());
        t.string(name(m.state())).string(code(blank(m.venueCode())))
            .string(code(pack(m.reason(0), m.reason(1), m.reason(2), m.reason(3))));
    }

    private void gapRow(final ParquetTable t)
    {
        final GapNoticeDecoder m = gap;
        common(t, m.common());
        t.int64(m.fromSeq()).int64(m.toSeq()).string(name(m.reason()));
    }

    private void endOfSessionRow(final ParquetTable t)
    {
        final EndOfSessionDecoder m = endOfSession;
        common(t, m.common());
        date(t, m.tradingDate());
        t.int64OrNull(m.messageCount(), 0);
    }

    private void statisticRow(final ParquetTable t)
    {
        final MarketStatisticDecoder m = statistic;
        common(t, m.common());
        t.string(name(m.statType())).string(name(m.action())).string(code(blank(m.venueCode()))).int32(m.qualifier());
        price(t, m.price(), true);
        t.int64(m.quantity());
        date(t, m.tradingDate());
    }

    // ---- listener ------------------------------------------------------------------------------------------------

    public void onInstrumentDefinition(final InstrumentDefinitionDecoder m)
    {
        final InstrumentDirectory.Instrument instrument = directory.onDefinition(m);
        symbols.put(InstrumentDirectory.key(instrument.feedId(), instrument.instrumentId()),
            Binary.fromConstantByteArray(instrument.symbol().getBytes(StandardCharsets.US_ASCII)));
        if (shows.test(InstrumentDefinitionDecoder.TEMPLATE_ID) && !skipped(m.common()))
        {
            definition = m;
            table("InstrumentDefinition").write(definitionRow);
        }
    }

    public void onAddOrder(final AddOrderDecoder m)
    {
        if (!shows.test(AddOrderDecoder.TEMPLATE_ID))
        {
            return;
        }
        addOrder = m;
        table("AddOrder").write(addOrderRow);
    }

    public void onModifyOrder(final ModifyOrderDecoder m)
    {
        if (!shows.test(ModifyOrderDecoder.TEMPLATE_ID))
        {
            return;
        }
        modifyOrder = m;
        table("ModifyOrder").write(modifyOrderRow);
    }

    public void onCancelOrder(final CancelOrderDecoder m)
    {
        if (!shows.test(CancelOrderDecoder.TEMPLATE_ID))
        {
            return;
        }
        cancelOrder = m;
        table("CancelOrder").write(cancelOrderRow);
    }

    public void onExecuteOrder(final ExecuteOrderDecoder m)
    {
        if (!shows.test(ExecuteOrderDecoder.TEMPLATE_ID))
        {
            return;
        }
        executeOrder = m;
        table("ExecuteOrder").write(executeOrderRow);
    }

    public void onPriceLevelUpdate(final PriceLevelUpdateDecoder m)
    {
        if (!shows.test(PriceLevelUpdateDecoder.TEMPLATE_ID))
        {
            return;
        }
        priceLevel = m;
        table("PriceLevelUpdate").write(priceLevelRow);
    }

    public void onTrade(final TradeDecoder m)
    {
        if (!shows.test(TradeDecoder.TEMPLATE_ID))
        {
            return;
        }
        trade = m;
        table("Trade").write(tradeRow);
    }

    public void onTopOfBook(final TopOfBookDecoder m)
    {
        if (!shows.test(TopOfBookDecoder.TEMPLATE_ID))
        {
            return;
        }
        topOfBook = m;
        table("TopOfBook").write(topOfBookRow);
    }

    public void onBookSnapshot(final BookSnapshotDecoder m)
    {
        if (!shows.test(BookSnapshotDecoder.TEMPLATE_ID))
        {
            return;
        }
        snapshot = m;
        final ParquetTable table = table("BookSnapshot");
        for (final BookSnapshotDecoder.LevelsDecoder l : m.levels())
        {
            level = l;
            table.write(snapshotRow);
        }
    }

    public void onTradingStatus(final TradingStatusDecoder m)
    {
        if (!shows.test(TradingStatusDecoder.TEMPLATE_ID))
        {
            return;
        }
        status = m;
        table("TradingStatus").write(statusRow);
    }

    public void onHeartbeat(final HeartbeatDecoder m)
    {
        if (!shows.test(HeartbeatDecoder.TEMPLATE_ID))
        {
            return;
        }
        heartbeat = m;
        table("Heartbeat").write(heartbeatRow);
    }

    public void onGapNotice(final GapNoticeDecoder m)
    {
        if (!shows.test(GapNoticeDecoder.TEMPLATE_ID))
        {
            return;
        }
        gap = m;
        table("GapNotice").write(gapRow);
    }

    public void onEndOfSession(final EndOfSessionDecoder m)
    {
        if (!shows.test(EndOfSessionDecoder.TEMPLATE_ID))
        {
            return;
        }
        if (1 == m.endOfReplay())
        {
            return; // the replay's own marker, not part of the recorded day
        }
        endOfSession = m;
        table("EndOfSession").write(endOfSessionRow);
    }

    public void onMarketStatistic(final MarketStatisticDecoder m)
    {
        if (!shows.test(MarketStatisticDecoder.TEMPLATE_ID))
        {
            return;
        }
        statistic = m;
        table("MarketStatistic").write(statisticRow);
    }

    /** Finish every file (writes the footers). */
    public void close()
    {
        RuntimeException first = null;
        for (final ParquetTable table : tables.values())
        {
            try
            {
                table.close();
            }
            catch (final RuntimeException ex)
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
