package io.tickbus.feed.itch;

import io.tickbus.feed.DerivedSequence;

import io.tickbus.client.MarketDataListener;
import io.tickbus.feed.CaptureSource;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.TestSupport;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.TradingState;
import io.tickbus.sbe.TradingStatusDecoder;
import io.tickbus.sbe.Venue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real NASDAQ ITCH 5.0 captures of 2023-08-22: counts per type checked against an independent walk of the
 * bytes, and field values checked against values hand-decoded from the hex (spec offsets, noted per test).
 */
@Timeout(60)
class ItchCaptureTest
{
    private static final LocalDate DATE = LocalDate.of(2023, 8, 22);
    /** Midnight in New York on 2023-08-22 (EDT, UTC-4) = 04:00 UTC. */
    private static final long MIDNIGHT_NS = 1_692_676_800L * 1_000_000_000L;

    record Parsed(ParseSummary summary, TestSupport.RecordingSink sink)
    {
    }

    static Parsed parse(final Path file) throws IOException
    {
        final ParseSummary summary = new ParseSummary();
        final TestSupport.RecordingSink sink = new TestSupport.RecordingSink();
        final DecoderContext ctx = new DecoderContext().sink(sink).stats(summary).feedId(7).tradingDate(DATE);
        final PacketDecoder decoder = new MoldUdp64Decoder(ctx);
        try (CaptureSource source = new CaptureSource(file, summary))
        {
            while (source.next())
            {
                decoder.onPacket(source.buffer(), source.offset(), source.length(), source.timeNs(),
                    source.packetNumber(), source.fileOffset());
            }
        }
        return new Parsed(summary, sink);
    }

    @Test
    void countsPerTypeMatchAnIndependentWalkOfEveryCapture() throws IOException
    {
        final List<Path> files = TestSupport.itchCaptures();
        assertEquals(23, files.size(), "captures in itch50/ (15 of 2023-08-22 + 8 genuine)");
        final Map<String, Long> allTypes = new TreeMap<>();
        for (final Path file : files)
        {
            final List<byte[]> payloads = TestSupport.udpPayloads(file);
            final Map<String, Long> expected = new TreeMap<>();
            long first = 0;
            long last = 0;
            long gaps = 0;
            long nextSeq = 0;
            for (final byte[] payload : payloads)
            {
                final long seq = TestSupport.be(payload, 10, 8);
                final List<byte[]> messages = TestSupport.moldMessages(payload);
                if (seq != 0)
                {
                    if (nextSeq != 0 && seq > nextSeq)
                    {
                        gaps++;
                    }
                    nextSeq = seq + messages.size();
                }
                for (final byte[] m : messages)
                {
                    expected.merge(String.valueOf((char)m[0]), 1L, Long::sum);
                    final long ts = MIDNIGHT_NS + TestSupport.be(m, 5, 6);
                    if (0 == first)
                    {
                        first = ts;
                    }
                    last = ts;
                }
            }
            final ParseSummary summary = parse(file).summary();
            final String name = file.getFileName().toString();
            assertEquals(payloads.size(), summary.packets(), name + " packets");
            assertEquals(0, summary.malformed(), name + " malformed: " + summary.malformedReasons());
            assertEquals(0, summary.heartbeats(), name + " heartbeats");
            assertEquals(gaps, summary.gaps(), name + " gaps");
            assertEquals(expected.values().stream().mapToLong(Long::longValue).sum(), summary.messages(), name);
            for (final Map.Entry<String, Long> e : expected.entrySet())
            {
                assertEquals(e.getValue(), summary.count(e.getKey()), name + " type " + e.getKey());
                allTypes.merge(e.getKey(), e.getValue(), Long::sum);
            }
            assertEquals(first, summary.firstTimestamp(), name + " first timestamp");
            assertEquals(last, summary.lastTimestamp(), name + " last timestamp");
        }
        assertEquals(15, allTypes.size(), "SOURCE.md: the captures cover 15 message types " + allTypes);
    }

    @Test
    void multiplePacketsCaptureHasARealSequenceGap() throws IOException
    {
        // packet 1: session "000010059B", sequence 14764496, 1 message; packet 2 starts far later.
        final Parsed parsed = parse(TestSupport.itch("v5.0_Multiple.Packets.pcap"));
        assertEquals(2, parsed.summary().packets());
        assertEquals(39, parsed.summary().messages(), "1 + 38 messages (SOURCE.md)");
        assertEquals(1, parsed.summary().gaps());
        assertTrue(parsed.summary().missingSequences() > 0);
    }

    @Test
    void orderDeleteHandDecoded() throws IOException
    {
        // 44 0dbd 0000 1f1aced85ad8 0000000001668bd6 in a MoldUDP64 packet with sequence 14757722.
        final Parsed parsed = parse(TestSupport.itch("v5.0_OrderDeleteMessage.pcap"));
        final List<CancelOrderDecoder> cancels = new ArrayList<>();
        final List<Integer> definitions = new ArrayList<>();
        parsed.sink().replay(new MarketDataListener()
        {
            public void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
            {
                definitions.add(msg.common().instrumentId());
                assertTrue(cancels.isEmpty(), "definition before first use");
            }

            public void onCancelOrder(final CancelOrderDecoder msg)
            {
                assertEquals(3517, msg.common().instrumentId());
                assertEquals((14757722L << 16) | DerivedSequence.ROLE_FIRST_OUTPUT, msg.common().sourceSeq(),
                    "venue seq << 16 | role 3: the first message of the venue message (the definition took role 1)");
                assertEquals(MIDNIGHT_NS + 0x1f1aced85ad8L, msg.common().exchangeTime());
                assertEquals(7, msg.common().feedId());
                assertEquals(Venue.NASDAQ, msg.common().venue());
                assertEquals(23497686L, msg.orderId());
                assertEquals(CancelType.FULL, msg.cancelType());
                assertEquals(0, msg.cancelledQuantity());
                cancels.add(msg);
            }
        });
        assertEquals(1, cancels.size());
        assertEquals(List.of(3517), definitions);
    }

    @Test
    void addOrderWithMpidHandDecoded() throws IOException
    {
        // 46 06ca 0000 1f1aced99936 000000000120be75 53 00000064 4341535920202020 0026fd40 464c5455
        final Parsed parsed = parse(TestSupport.itch("v5.0.20230822_AddOrderWithMPID.pcap"));
        final List<AddOrderDecoder> adds = new ArrayList<>();
        final List<String> symbols = new ArrayList<>();
        parsed.sink().replay(new MarketDataListener()
        {
            public void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
            {
                symbols.add(msg.common().instrumentId() + ":" + msg.symbol().trim());
                assertEquals(-4, msg.priceExponent());
                assertEquals(20230822, msg.tradingDate());
            }

            public void onAddOrder(final AddOrderDecoder msg)
            {
                if (adds.isEmpty())
                {
                    assertEquals(1738, msg.common().instrumentId());
                    assertEquals(MIDNIGHT_NS + 0x1f1aced99936L, msg.common().exchangeTime());
                    assertEquals(18923125L, msg.orderId());
                    assertEquals(Side.SELL, msg.side());
                    assertEquals(100, msg.quantity());
                    assertEquals(2555200L, msg.price().mantissa(), "$255.52");
                    assertEquals(-4, msg.price().exponent());
                    assertEquals("FLTU", msg.attribution());
                }
                adds.add(msg);
            }
        });
        assertEquals(5, adds.size());
        assertTrue(symbols.contains("1738:CASY"), symbols.toString());
    }

    @Test
    void executedWithPriceReplaceTradeCrossHandDecoded() throws IOException
    {
        // C: 43 13e4 0001 1f1aceebb03b 00000000013113de 0000133e 000000000003e65d 4e 00036e20
        final List<ExecuteOrderDecoder> executions = new ArrayList<>();
        parse(TestSupport.itch("v5.0.20230822_OrderExecutedWithPrice.pcap")).sink().replay(new MarketDataListener()
        {
            public void onExecuteOrder(final ExecuteOrderDecoder msg)
            {
                if (executions.isEmpty())
                {
                    assertEquals(5092, msg.common().instrumentId());
                    assertEquals(19993566L, msg.orderId());
                    assertEquals(4926, msg.executedQuantity());
                    assertEquals(0x3e65dL, msg.matchId());
                    assertEquals(0, msg.printable(), "printable 'N'");
                    assertEquals(224800L, msg.price().mantissa(), "$22.48");
                }
                executions.add(msg);
            }
        });
        assertEquals(5, executions.size());

        // U: 55 1db3 0000 1f1aced771e9 0000000000e6897f 000000000145f2c7 00000064 001036c8
        final List<ModifyOrderDecoder> replaces = new ArrayList<>();
        parse(TestSupport.itch("v5.0.20230822_OrderReplace.pcap")).sink().replay(new MarketDataListener()
        {
            public void onModifyOrder(final ModifyOrderDecoder msg)
            {
                if (replaces.isEmpty())
                {
                    assertEquals(7603, msg.common().instrumentId());
                    assertEquals(15108479L, msg.orderId());
                    assertEquals(21361351L, msg.newOrderId());
                    assertEquals(100, msg.quantity());
                    assertEquals(1062600L, msg.price().mantissa(), "$106.26");
                }
                replaces.add(msg);
            }
        });
        assertEquals(5, replaces.size());

        // P: 50 1193 0002 1f1acee462a9 0000000000000000 42 00000064 474f4f474c202020 001399f8 000000000003e642
        // Q: 51 03d7 0001 1f1acee15003 0000000000000000 4241432d51202020 00000000 000000000003e63e 4f
        final List<TradeDecoder> trades = new ArrayList<>();
        final List<Integer> auctions = new ArrayList<>();
        final MarketDataListener tradeListener = new MarketDataListener()
        {
            public void onTrade(final TradeDecoder msg)
            {
                trades.add(msg);
                if (1 == trades.size())
                {
                    assertEquals(4499, msg.common().instrumentId());
                    assertEquals(MIDNIGHT_NS + 0x1f1acee462a9L, msg.common().exchangeTime());
                    assertEquals(255554L, msg.tradeId());
                    assertEquals(100, msg.quantity());
                    assertEquals(1284600L, msg.price().mantissa(), "$128.46");
                    assertEquals(TradeType.NON_DISPLAYED, msg.tradeType());
                    assertEquals(Side.SELL, msg.aggressorSide(), "resting buy order -> sell aggressor");
                }
                if (6 == trades.size())
                {
                    // The first cross that executed: PTGX 5577 shares at $19.56, match 255561.
                    assertEquals(8231, msg.common().instrumentId());
                    assertEquals(255561L, msg.tradeId());
                    assertEquals(5577, msg.quantity());
                    assertEquals(195600L, msg.price().mantissa());
                    assertEquals(TradeType.CROSS, msg.tradeType());
                    assertEquals('O', (char)msg.saleConditions(), "cross type O (opening)");
                }
                assertTrue(msg.quantity() > 0, "no trade of 0 shares");
            }

            public void onMarketStatistic(final io.tickbus.sbe.MarketStatisticDecoder msg)
            {
                // BAC-Q (983), GCV, BNED: crosses of 0 shares at price 0, auctions that executed nothing.
                auctions.add(msg.common().instrumentId());
                assertEquals(io.tickbus.sbe.StatType.AUCTION, msg.statType());
                assertEquals(0, msg.quantity());
                assertEquals(Long.MIN_VALUE, msg.price().mantissa(), "no price, not a price of 0");
                assertEquals('O', (char)msg.venueCode());
                if (983 == msg.common().instrumentId())
                {
                    assertEquals(MIDNIGHT_NS + 0x1f1acee15003L, msg.common().exchangeTime());
                }
            }
        };
        parse(TestSupport.itch("v5.0.20230822_NonCrossTrade.pcap")).sink().replay(tradeListener);
        parse(TestSupport.itch("v5.0.20230822_CrossTrade.pcap")).sink().replay(tradeListener);
        assertEquals(7, trades.size(), "5 non-cross trades, 2 crosses with shares");
        assertEquals(List.of(983, 4234, 1382), auctions);
    }

    @Test
    void tradingActionAndSystemEventHandDecoded() throws IOException
    {
        // H: 48 2c3d 0000 1f1e7036e465 5a585a5a54202020 50 20 4c554450 (ZXZZT paused, reason LUDP)
        final List<TradingStatusDecoder> statuses = new ArrayList<>();
        parse(TestSupport.itch("v5.0.20230822_StockTradingAction.pcap")).sink().replay(new MarketDataListener()
        {
            public void onTradingStatus(final TradingStatusDecoder msg)
            {
                if (statuses.isEmpty())
                {
                    assertEquals(11325, msg.common().instrumentId());
                    assertEquals(TradingState.PAUSED, msg.state());
                    assertEquals('P', (char)msg.venueCode());
                    assertEquals("LUDP", msg.reason());
                }
                statuses.add(msg);
            }
        });
        assertEquals(5, statuses.size());

        // S: 53 0000 0000 1f1acedb02f0 51 (start of market hours, 09:30:00.000070384)
        final List<TradingStatusDecoder> events = new ArrayList<>();
        final boolean[] endOfSession = {false};
        parse(TestSupport.itch("v5.0.20230822_SystemEvent.pcap")).sink().replay(new MarketDataListener()
        {
            public void onTradingStatus(final TradingStatusDecoder msg)
            {
                assertEquals(0, msg.common().instrumentId(), "market-wide");
                assertEquals(TradingState.TRADING, msg.state());
                assertEquals(MIDNIGHT_NS + 0x1f1acedb02f0L, msg.common().exchangeTime());
                assertEquals(1_692_711_000_000_070_384L, msg.common().exchangeTime(), "09:30 EDT");
                events.add(msg);
            }

            public void onEndOfSession(final EndOfSessionDecoder msg)
            {
                endOfSession[0] = true;
            }
        });
        assertEquals(1, events.size());
        assertFalse(endOfSession[0]);
    }

    @Test
    void tradingDateComesFromFileNameThenCapture() throws IOException
    {
        assertEquals(DATE, ItchTime.fromFileName(Path.of("v5.0.20230822_AddOrderNoMPID.pcap")));
        assertEquals(DATE, ItchTime.fromFileName(Path.of("08222023.NASDAQ_ITCH50.gz")));
        final Path noDate = TestSupport.itch("v5.0_Multiple.Packets.pcap");
        assertEquals(null, ItchTime.fromFileName(noDate));
        // first record time 0x64e4b858 s = 1692710999 = 2023-08-22T13:29:59Z
        assertEquals(DATE, ItchTime.resolve(null, noDate, io.tickbus.feed.FeedHandlerAgent.firstCaptureTimeNs(noDate)));
    }
}
