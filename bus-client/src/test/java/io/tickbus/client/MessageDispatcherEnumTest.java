package io.tickbus.client;

import io.tickbus.sbe.CommonDecoder;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.MarketStatisticDecoder;
import io.tickbus.sbe.MarketStatisticEncoder;
import io.tickbus.sbe.MessageHeaderDecoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.StatType;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.test.TestMessages;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every byte value of a Trade's enum fields: the dispatcher passes the message on exactly when the SBE decoder's
 * own getter reads the field without throwing (the oracle is the generated decoder, not the dispatcher's tables).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageDispatcherEnumTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final TradeDecoder decoder = new TradeDecoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private int trades;
    private int statistics;
    private final MessageDispatcher dispatcher = new MessageDispatcher(new MarketDataListener()
    {
        public void onTrade(final TradeDecoder msg)
        {
            trades++;
        }

        public void onMarketStatistic(final MarketStatisticDecoder msg)
        {
            statistics++;
        }
    });

    @Test
    void tradeEnumsAcceptedExactlyWhenTheDecoderReadsThem()
    {
        final int length = new TestMessages().tradeAt(buffer, 0, 1, 1, 1);
        final int body = MessageHeaderDecoder.ENCODED_LENGTH;
        final int[] fieldOffsets = {
            body + CommonDecoder.venueEncodingOffset(),
            body + TradeDecoder.aggressorSideEncodingOffset(),
            body + TradeDecoder.tradeTypeEncodingOffset() };
        int expectedTrades = 0;
        int expectedMalformed = 0;
        for (final int at : fieldOffsets)
        {
            final byte original = buffer.getByte(at);
            for (int value = 0; value < 256; value++)
            {
                buffer.putByte(at, (byte)value);
                if (decoderReadsEnums())
                {
                    expectedTrades++;
                }
                else
                {
                    expectedMalformed++;
                }
                dispatcher.dispatch(buffer, 0, length, 0);
                assertEquals(expectedTrades, trades, "field at " + at + " value " + value);
                assertEquals(expectedMalformed, dispatcher.malformedCount(), "field at " + at + " value " + value);
            }
            buffer.putByte(at, original);
        }
        // Each field has a handful of defined values (and its null): most of the 768 variants are malformed.
        assertEquals(768, expectedTrades + expectedMalformed);
        assertTrue(expectedTrades >= 3 && expectedMalformed > 600);
    }

    private boolean decoderReadsEnums()
    {
        decoder.wrapAndApplyHeader(buffer, 0, header);
        try
        {
            decoder.common().venue();
            decoder.aggressorSide();
            decoder.tradeType();
            return true;
        }
        catch (final IllegalArgumentException ex)
        {
            return false;
        }
    }

    @Test
    void marketStatisticEnumsAcceptedExactlyWhenTheDecoderReadsThem()
    {
        final MarketStatisticEncoder encoder = new MarketStatisticEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder());
        encoder.common().venue(io.tickbus.sbe.Venue.CME).instrumentId(7);
        encoder.statType(StatType.VOLUME).action(LevelAction.NEW).venueCode((byte)'e').quantity(9541);
        encoder.price().mantissa(Long.MIN_VALUE);
        final int length = MessageHeaderDecoder.ENCODED_LENGTH + encoder.encodedLength();
        final int[] fieldOffsets = {
            MessageHeaderDecoder.ENCODED_LENGTH + MarketStatisticDecoder.statTypeEncodingOffset(),
            MessageHeaderDecoder.ENCODED_LENGTH + MarketStatisticDecoder.actionEncodingOffset() };
        final MarketStatisticDecoder oracle = new MarketStatisticDecoder();
        int expected = 0;
        int malformed = 0;
        for (final int at : fieldOffsets)
        {
            final byte original = buffer.getByte(at);
            for (int value = 0; value < 256; value++)
            {
                buffer.putByte(at, (byte)value);
                boolean reads;
                try
                {
                    oracle.wrapAndApplyHeader(buffer, 0, header);
                    oracle.statType();
                    oracle.action();
                    reads = true;
                }
                catch (final IllegalArgumentException ex)
                {
                    reads = false;
                }
                expected += reads ? 1 : 0;
                malformed += reads ? 0 : 1;
                dispatcher.dispatch(buffer, 0, length, 0);
                assertEquals(expected, statistics, "field at " + at + " value " + value);
                assertEquals(malformed, dispatcher.malformedCount(), "field at " + at + " value " + value);
            }
            buffer.putByte(at, original);
        }
        // 12 statistic types and 4 actions, plus each enum's null value.
        assertEquals(12 + 1 + 4 + 1, expected);
    }
}
