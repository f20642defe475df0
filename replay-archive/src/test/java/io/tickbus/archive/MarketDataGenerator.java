package io.tickbus.archive;

import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.CommonEncoder;
import io.tickbus.sbe.EndOfSessionEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.Venue;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Test support: encodes Tickbus messages with the generated encoders (AddOrder and Trade alternating, with
 * increasing source sequence and given exchange times), offers them and remembers a CRC32 of each message's
 * bytes, its source sequence and exchange time, as the independent record the replays are checked against.
 */
final class MarketDataGenerator
{
    static final int FEED_ID = 7;

    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final AddOrderEncoder addOrder = new AddOrderEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final EndOfSessionEncoder endOfSession = new EndOfSessionEncoder();
    final List<Long> checksums = new ArrayList<>();
    final List<Long> sourceSeqs = new ArrayList<>();
    final List<Long> exchangeTimes = new ArrayList<>();
    private long sourceSeq;
    private long globalSeq;
    private boolean sequenced;

    static long epochNs(final String instant)
    {
        final Instant at = Instant.parse(instant);
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    static long crc(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /**
     * Stamp each message as the sequencer would: global sequence = source sequence, sequencer time just after
     * the exchange time. Two sequenced generators given the same exchange times write identical messages, as the
     * members of the sequencer do on their own sessions.
     */
    MarketDataGenerator sequenced()
    {
        sequenced = true;
        return this;
    }

    long sourceSeq()
    {
        return sourceSeq;
    }

    /**
     * Encode and offer (retrying on back pressure) one market data message.
     */
    void publish(final ExclusivePublication publication, final long exchangeTime)
    {
        publish(publication, exchangeTime, 0);
    }

    /**
     * Encode and offer a sequenced message: as {@link #publish(ExclusivePublication, long)} with a global sequence.
     */
    void publishSequenced(final ExclusivePublication publication, final long exchangeTime, final long globalSeq)
    {
        this.globalSeq = globalSeq;
        try
        {
            publish(publication, exchangeTime, 0);
        }
        finally
        {
            this.globalSeq = 0;
        }
    }

    void publish(final ExclusivePublication publication, final long exchangeTime, final int padding)
    {
        final long seq = ++sourceSeq;
        final int length;
        if (seq % 3 == 0)
        {
            trade.wrapAndApplyHeader(buffer, 0, header)
                .tradeId(seq)
                .quantity(100 + seq % 7)
                .aggressorSide(Side.BUY)
                .tradeType(TradeType.REGULAR)
                .saleConditions((short)0)
                .cumulativeVolume(seq * 100);
            trade.price().mantissa(1_000_000 + seq).exponent((byte)-4);
            common(trade.common(), seq, exchangeTime);
            length = MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
        }
        else
        {
            addOrder.wrapAndApplyHeader(buffer, 0, header)
                .orderId(seq)
                .side(seq % 2 == 0 ? Side.BUY : Side.SELL)
                .quantity(10 * seq)
                .attribution("TEST");
            addOrder.price().mantissa(999_000 + seq).exponent((byte)-4);
            common(addOrder.common(), seq, exchangeTime);
            length = MessageHeaderEncoder.ENCODED_LENGTH + addOrder.encodedLength();
        }
        offer(publication, length + padding, seq, exchangeTime);
    }

    void publishEndOfSession(final ExclusivePublication publication, final long exchangeTime, final int yyyymmdd)
    {
        final long seq = ++sourceSeq;
        endOfSession.wrapAndApplyHeader(buffer, 0, header)
            .tradingDate(yyyymmdd)
            .messageCount(seq - 1)
            .endOfReplay((short)0);
        common(endOfSession.common(), seq, exchangeTime);
        offer(publication, MessageHeaderEncoder.ENCODED_LENGTH + endOfSession.encodedLength(), seq, exchangeTime);
    }

    private void common(final CommonEncoder common, final long seq, final long exchangeTime)
    {
        // An explicit global sequence (publishSequenced) wins; a sequenced() generator stamps its source sequence.
        final long global = 0 != globalSeq ? globalSeq : sequenced ? seq : 0;
        final long sequencerTime = 0 != globalSeq ? globalSeq : sequenced ? exchangeTime + 500 : 0;
        common.globalSeq(global).sequencerTime(sequencerTime)
            .sourceSeq(seq).exchangeTime(exchangeTime).receiveTime(exchangeTime + 1_000)
            .publishTime(exchangeTime + 2_000).instrumentId((int)(seq % 5) + 1)
            .feedId(FEED_ID).venue(Venue.SIMULATOR).flags((short)0);
    }

    private void offer(final ExclusivePublication publication, final int length, final long seq, final long time)
    {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (true)
        {
            final long result = publication.offer(buffer, 0, length);
            if (result > 0)
            {
                break;
            }
            if (Publication.CLOSED == result || Publication.MAX_POSITION_EXCEEDED == result ||
                System.nanoTime() > deadline)
            {
                throw new IllegalStateException("offer failed: " + Publication.errorString(result));
            }
            Thread.onSpinWait();
            if (Publication.BACK_PRESSURED == result || Publication.NOT_CONNECTED == result)
            {
                sleepQuietly();
            }
        }
        checksums.add(crc(buffer, 0, length));
        sourceSeqs.add(seq);
        exchangeTimes.add(time);
    }

    private static void sleepQuietly()
    {
        try
        {
            Thread.sleep(1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
