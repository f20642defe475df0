package io.tickbus.tools;

import io.tickbus.client.MessageDispatcher;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.MarketStatisticEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.StatType;
import io.tickbus.sbe.Venue;
import io.tickbus.tools.export.DayParquetWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MarketStatistic (schema version 3) in the CSV and Parquet exports: a settlement with a price and a volume without
 * one, the missing price empty / NULL, read back as text and by DuckDB.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MarketStatisticExportTest
{
    @TempDir
    Path dir;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);

    private int statistic(final StatType type, final long mantissa, final long quantity, final int tradingDate)
    {
        final MarketStatisticEncoder e = new MarketStatisticEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        e.common().venue(Venue.CME).instrumentId(13950).feedId(3).sourceSeq(1).exchangeTime(1_446_130_830_000_000_001L);
        e.statType(type).action(LevelAction.NEW).venueCode((byte)(StatType.VOLUME == type ? 'e' : '6'))
            .qualifier((short)(StatType.SETTLEMENT == type ? 3 : 0)).quantity(quantity).tradingDate(tradingDate);
        e.price().mantissa(mantissa).exponent((byte)(Long.MIN_VALUE == mantissa ? 0 : -7));
        return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
    }

    @Test
    void statisticsAreExportedToCsvAndParquet() throws Exception
    {
        final Path csvDir = Files.createDirectories(dir.resolve("csv"));
        final Path parquetDir = Files.createDirectories(dir.resolve("parquet"));
        final DayCsvWriter csv = new DayCsvWriter(csvDir);
        final DayParquetWriter parquet = new DayParquetWriter(parquetDir, null, templateId -> true);
        final MessageDispatcher toCsv = new MessageDispatcher(csv);
        final MessageDispatcher toParquet = new MessageDispatcher(parquet);
        int length = statistic(StatType.SETTLEMENT, 2_077_500_000_000L, 0, 20151030);
        assertTrue(toCsv.dispatch(buffer, 0, length, 0));
        assertTrue(toParquet.dispatch(buffer, 0, length, 0));
        length = statistic(StatType.VOLUME, Long.MIN_VALUE, 1_340_718, 0);
        assertTrue(toCsv.dispatch(buffer, 0, length, 0));
        assertTrue(toParquet.dispatch(buffer, 0, length, 0));
        csv.close();
        parquet.close();

        final List<String> lines = Files.readAllLines(csvDir.resolve("MarketStatistic.csv"));
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).endsWith(",statType,action,venueCode,qualifier,price,quantity,tradingDate"),
            lines.get(0));
        assertTrue(lines.get(1).endsWith(",SETTLEMENT,NEW,6,3,207750.0000000,0,20151030"), lines.get(1));
        assertTrue(lines.get(2).endsWith(",VOLUME,NEW,e,0,,1340718,"), lines.get(2));

        final Path file = parquetDir.resolve("MarketStatistic.parquet");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
            Statement sql = duck.createStatement();
            ResultSet rows = sql.executeQuery("select statType, venueCode, qualifier, priceMantissa, quantity, " +
                "tradingDate from '" + file + "' order by quantity"))
        {
            assertTrue(rows.next());
            assertEquals("SETTLEMENT", rows.getString(1));
            assertEquals("6", rows.getString(2));
            assertEquals(3, rows.getInt(3));
            assertEquals(2_077_500_000_000L, rows.getLong(4));
            assertEquals("2015-10-30", rows.getString(6));
            assertTrue(rows.next());
            assertEquals("VOLUME", rows.getString(1));
            rows.getLong(4);
            assertTrue(rows.wasNull(), "a volume has no price: NULL");
            assertEquals(1_340_718L, rows.getLong(5));
            rows.getString(6);
            assertTrue(rows.wasNull(), "no trading date: NULL");
            assertFalse(rows.next());
        }
    }
}
