package io.tickbus.feed.itch;

import io.tickbus.client.MarketDataListener;
import io.tickbus.feed.TestSupport;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.MarketStatisticDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradingStatusDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.tickbus.feed.TestSupport.be;

/**
 * Every order-book, trade and status message of every real capture: the normalized fields against the same fields
 * read straight from the bytes at the specification's offsets, written out here independently of ItchMessages.
 */
@Timeout(60)
class ItchAllFieldsTest
{
    private static final long MIDNIGHT_NS = 1_692_676_800L * 1_000_000_000L;

    @Test
    void everyMappedMessageOfEveryCaptureMatchesTheSpecOffsets() throws IOException
    {
        int checked = 0;
        for (final Path file : TestSupport.itchCaptures())
        {
            final List<String> expected = new ArrayList<>();
            for (final byte[] payload : TestSupport.udpPayloads(file))
            {
                for (final byte[] m : TestSupport.moldMessages(payload))
                {
                    final String line = expectedLine(m);
                    if (null != line)
                    {
                        expected.add(line);
                    }
                }
            }
            final List<String> actual = new ArrayList<>();
            ItchCaptureTest.parse(file).sink().replay(new MarketDataListener()
            {
                public void onAddOrder(final AddOrderDecoder m)
                {
                    actual.add("add " + m.common().instrumentId() + " " + m.common().exchangeTime() + " " +
                        m.orderId() + " " + (char)m.side().value() + " " + m.quantity() + " " + m.price().mantissa() + " " +
                        m.attribution().trim());
                }

                public void onExecuteOrder(final ExecuteOrderDecoder m)
                {
                    actual.add("exec " + m.common().instrumentId() + " " + m.common().exchangeTime() + " " +
                        m.orderId() + " " + m.executedQuantity() + " " + m.matchId() + " " +
                        (Long.MIN_VALUE == m.price().mantissa() ? "-" : String.valueOf(m.price().mantissa())));
                }

                public void onCancelOrder(final CancelOrderDecoder m)
                {
                    actual.add("cancel " + m.common().instrumentId() + " " + m.common().exchangeTime() + " " +
                        m.orderId() + " " + m.cancelledQuantity() + " " + m.cancelType());
                }

                public void onModifyOrder(final ModifyOrderDecoder m)
                {
                    actual.add("replace " + m.common().instrumentId() + " " + m.common().exchangeTime() + " " +
                        m.orderId() + " " + m.newOrderId() + " " + m.quantity() + " " + m.price().mantissa());
                }

                public void onTrade(final TradeDecoder m)
                {
                    actual.add("trade " + m.common().instrumentId() + " " + m.common().exchangeTime() + " " +
                        m.tradeId() + " " + m.quantity() + " " + m.price().mantissa() + " " + m.tradeType());
                }

                public void onMarketStatistic(final MarketStatisticDecoder m)
                {
                    actual.add("auction " + m.common().instrumentId() + " " + m.common().exchangeTime() + " " +
                        m.statType() + " " + m.quantity() + " " +
                        (Long.MIN_VALUE == m.price().mantissa() ? "-" : String.valueOf(m.price().mantissa())) + " " +
                        (char)m.venueCode());
                }

                public void onTradingStatus(final TradingStatusDecoder m)
                {
                    actual.add("status " + m.common().instrumentId() + " " + m.common().exchangeTime() + " " +
                        (char)m.venueCode());
                }
            });
            assertEquals(expected, actual, file.getFileName().toString());
            checked += expected.size();
        }
        assertEquals(true, checked >= 90, "mapped messages checked: " + checked);
    }

    /** Spec offsets: type 0, locate 1, tracking 3, timestamp 5 (6 bytes), then per type. */
    private static String expectedLine(final byte[] m)
    {
        final long locate = be(m, 1, 2);
        final long time = MIDNIGHT_NS + be(m, 5, 6);
        final String head = locate + " " + time + " ";
        switch ((char)m[0])
        {
            case 'A':
                return "add " + head + be(m, 11, 8) + " " + (char)m[19] + " " + be(m, 20, 4) + " " + be(m, 32, 4) + " ";
            case 'F':
                return "add " + head + be(m, 11, 8) + " " + (char)m[19] + " " + be(m, 20, 4) + " " + be(m, 32, 4) +
                    " " + new String(m, 36, 4).trim();
            case 'E':
                return "exec " + head + be(m, 11, 8) + " " + be(m, 19, 4) + " " + be(m, 23, 8) + " -";
            case 'C':
                return "exec " + head + be(m, 11, 8) + " " + be(m, 19, 4) + " " + be(m, 23, 8) + " " + be(m, 32, 4);
            case 'X':
                return "cancel " + head + be(m, 11, 8) + " " + be(m, 19, 4) + " PARTIAL";
            case 'D':
                return "cancel " + head + be(m, 11, 8) + " 0 FULL";
            case 'U':
                return "replace " + head + be(m, 11, 8) + " " + be(m, 19, 8) + " " + be(m, 27, 4) + " " + be(m, 31, 4);
            case 'P':
                return "trade " + head + be(m, 36, 8) + " " + be(m, 20, 4) + " " + be(m, 32, 4) + " NON_DISPLAYED";
            case 'Q':
                // A cross of 0 shares took place without execution: an auction outcome, not a print.
                return 0 == be(m, 11, 8) ?
                    "auction " + head + "AUCTION 0 " + (0 == be(m, 27, 4) ? "-" : be(m, 27, 4)) + " " + (char)m[39] :
                    "trade " + head + be(m, 31, 8) + " " + be(m, 11, 8) + " " + be(m, 27, 4) + " CROSS";
            case 'H':
                return "status " + head + (char)m[19];
            case 'S':
                return 'C' == m[11] ? null : "status 0 " + time + " " + (char)m[11];
            default:
                return null;
        }
    }
}
