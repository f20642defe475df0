package io.tickbus.tools;

import io.tickbus.archive.ArchiveDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code tickbus export --format parquet} on the recorded IEX TOPS sample day, read back by DuckDB (its JDBC driver:
 * a C++ Parquet reader, not parquet-java, which wrote the files). Row counts add up to the catalog's message count
 * and match the CSV export type by type; column types are the documented ones; values agree with the CSV export.
 * The archive's control endpoint is UDP 127.0.0.1:15401.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ParquetExportTest
{
    private static final int STREAM = 15410;
    private static final Path TOPS = Path.of(System.getProperty("tickbus.shared.data", "../shared/data"),
        "iex", "20180127_IEXTP1_TOPS1.6.pcap.gz");

    @TempDir
    Path dir;

    private CliRun archiveRun;

    @AfterEach
    void close()
    {
        ArchiveCommand.requestStopAll();
        if (null != archiveRun)
        {
            archiveRun.exitCode();
            archiveRun.close();
        }
    }

    @Test
    void parquetOfTheIexSampleDayReadsBackInDuckDb() throws Exception
    {
        assumeTrue(Files.isReadable(TOPS), "IEX sample day not available at " + TOPS);
        final Path archiveDir = dir.resolve("archive");
        archiveRun = CliRun.start("archive", "--dir", archiveDir.toString(), "--control-channel",
            "aeron:udp?endpoint=127.0.0.1:15401", "--record", "aeron:ipc:" + STREAM);
        CliRun.await("archive running", () -> Files.exists(archiveDir.resolve(ArchiveDirectory.INFO_FILE)) ||
            archiveRun.isDone());
        assertFalse(archiveRun.isDone(), archiveRun.err());
        final String aeronDir = ArchiveDirectory.runningInfo(archiveDir).getProperty("aeron.dir");

        final CliRun feed = CliRun.run("feed", "--venue", "iex-tops", "--from", TOPS.toString(), "--channel",
            "aeron:ipc", "--stream", Integer.toString(STREAM), "--driver-dir", aeronDir, "--await-subscriber", "10s",
            "--summary");
        assertEquals(0, feed.exitCode(), feed.out() + feed.err());

        final String[] day = new String[1];
        final long[] recorded = new long[1];
        CliRun.await("catalog holds the day", () ->
        {
            final CliRun list = CliRun.run("recordings", "--dir", archiveDir.toString(), "--json");
            final Matcher m = Pattern.compile("\"day\":\"([0-9-]+)\",\"stream\":" + STREAM + ",.*?\"messages\":(\\d+)")
                .matcher(list.out());
            if (0 == list.exitCode() && m.find() && Long.parseLong(m.group(2)) > 90_000)
            {
                day[0] = m.group(1);
                recorded[0] = Long.parseLong(m.group(2));
                return true;
            }
            return false;
        });
        // The catalog settles when the recording has caught up with the publication: wait for a steady count.
        Thread.sleep(1000);
        final CliRun list = CliRun.run("recordings", "--dir", archiveDir.toString(), "--json");
        recorded[0] = CliRun.jsonLong(list.out(), "messages");

        final Path parquet = dir.resolve("parquet");
        final CliRun export = CliRun.run("export", "--dir", archiveDir.toString(), "--day", day[0], "--stream",
            Integer.toString(STREAM), "--format", "parquet", "--out", parquet.toString());
        assertEquals(0, export.exitCode(), export.out() + export.err());
        final Path csv = dir.resolve("csv");
        final CliRun csvExport = CliRun.run("export", "--dir", archiveDir.toString(), "--day", day[0], "--stream",
            Integer.toString(STREAM), "--format", "csv", "--out", csv.toString());
        assertEquals(0, csvExport.exitCode(), csvExport.out() + csvExport.err());
        final String summary = export.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertEquals(recorded[0], CliRun.jsonLong(summary, "totalRows"), "every recorded message is a row: " + summary);

        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
            Statement sql = duck.createStatement())
        {
            long total = 0;
            final Map<String, Long> byType = new HashMap<>();
            try (var files = Files.list(parquet))
            {
                for (final Path file : files.toList())
                {
                    final String type = file.getFileName().toString().replace(".parquet", "");
                    final long rows = single(sql, "select count(*) from '" + file + "'");
                    byType.put(type, rows);
                    total += rows;
                    assertEquals(Files.readAllLines(csv.resolve(type + ".csv")).size() - 1, rows,
                        type + ": Parquet rows = CSV rows");
                    assertEquals(rows, CliRun.jsonLong(summary, type), type + " in the summary");
                }
            }
            assertEquals(recorded[0], total, "rows over all types = the catalog's messages");
            assertTrue(byType.getOrDefault("Trade", 0L) > 0 && byType.getOrDefault("TopOfBook", 0L) > 0, "" + byType);

            final Path trades = parquet.resolve("Trade.parquet");
            final Map<String, String> types = columnTypes(sql, trades);
            // Nanosecond timestamps adjusted to UTC: DuckDB's TIMESTAMPTZ_NS.
            assertEquals("TIMESTAMPTZ_NS", types.get("exchangeTime"), "" + types);
            assertEquals("TIMESTAMPTZ_NS", types.get("receiveTime"), "" + types);
            assertEquals("VARCHAR", types.get("symbol"));
            assertEquals("BIGINT", types.get("priceMantissa"));
            assertEquals("TINYINT", types.get("priceExponent"));
            assertEquals("UBIGINT", types.get("tradeId"));
            assertEquals("USMALLINT", types.get("feedId"));
            assertEquals("UTINYINT", types.get("flags"));
            try (ResultSet meta = sql.executeQuery("select distinct compression from parquet_metadata('" + trades +
                "') union all select distinct logical_type::varchar from parquet_schema('" + trades +
                "') where name = 'exchangeTime'"))
            {
                assertTrue(meta.next());
                assertEquals("ZSTD", meta.getString(1));
                assertTrue(meta.next());
                final String logical = meta.getString(1);
                assertTrue(logical.contains("NANOS=NanoSeconds") && logical.contains("isAdjustedToUTC=1"), logical);
            }
            try (ResultSet encodings = sql.executeQuery("select encodings from parquet_metadata('" + trades +
                "') where path_in_schema = 'symbol' limit 1"))
            {
                assertTrue(encodings.next());
                assertTrue(encodings.getString(1).contains("DICTIONARY"), encodings.getString(1));
            }

            // Spot checks against the CSV export: the first and the last trade, and an empty quote side.
            final List<String> csvTrades = Files.readAllLines(csv.resolve("Trade.csv"));
            final List<String> header = List.of(csvTrades.get(0).split(","));
            for (final int row : new int[]{0, csvTrades.size() - 2})
            {
                final String[] expected = csvTrades.get(row + 1).split(",", -1);
                try (ResultSet r = sql.executeQuery("select sourceSeq, epoch_ns(exchangeTime), symbol, priceMantissa," +
                    " priceExponent, quantity, epoch_ns(receiveTime), globalSeq from '" + trades +
                    "' order by sourceSeq limit 1 offset " + row))
                {
                    assertTrue(r.next());
                    assertEquals(expected[header.indexOf("sourceSeq")], r.getString(1));
                    assertEquals(expected[header.indexOf("exchangeTime")], r.getString(2));
                    assertEquals(expected[header.indexOf("symbol")], r.getString(3));
                    assertEquals(new BigDecimal(expected[header.indexOf("price")]),
                        BigDecimal.valueOf(r.getLong(4), -r.getInt(5)), "price of trade " + r.getString(1));
                    assertEquals(expected[header.indexOf("quantity")], r.getString(6));
                    assertEquals(expected[header.indexOf("receiveTime")], r.getString(7));
                    assertNull(r.getObject(8), "not sequenced: globalSeq is null");
                    assertEquals("", expected[header.indexOf("globalSeq")], "and empty in the CSV");
                }
            }
            final Path quotes = parquet.resolve("TopOfBook.parquet");
            final long emptyBids = single(sql, "select count(*) from '" + quotes + "' where bidQuantity is null");
            assertEquals(emptyBids, single(sql, "select count(*) from '" + quotes + "' where bidPriceMantissa is null"),
                "an empty side has neither price nor quantity");
            assertEquals(0, single(sql, "select count(*) from '" + quotes + "' where bidQuantity = 0"));
            final long csvEmptyBids = Files.readAllLines(csv.resolve("TopOfBook.csv")).stream().skip(1)
                .filter((line) -> line.split(",", -1)[11].isEmpty()).count();
            assertEquals(csvEmptyBids, emptyBids, "the CSV has the same empty bids, as empty fields");
        }
    }

    private static long single(final Statement sql, final String query) throws SQLException
    {
        try (ResultSet r = sql.executeQuery(query))
        {
            assertTrue(r.next(), query);
            return r.getLong(1);
        }
    }

    private static Map<String, String> columnTypes(final Statement sql, final Path file) throws SQLException
    {
        final Map<String, String> types = new HashMap<>();
        try (ResultSet r = sql.executeQuery("describe select * from '" + file + "'"))
        {
            while (r.next())
            {
                types.put(r.getString(1), r.getString(2));
            }
        }
        return types;
    }
}
