package io.tickbus.client;

import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
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
import org.agrona.DirectBuffer;

/**
 * Callbacks for decoded Tickbus messages, one per message type. Every method has an empty default, so a
 * listener implements only what it needs.
 * <p>
 * The decoders are flyweights owned by the {@link MessageDispatcher}: valid only during the callback, never to be
 * kept. Callbacks run on the thread that polls the subscriber.
 */
public interface MarketDataListener
{
    /**
     * Called first for every well-formed message that passed the filter, before the typed callback.
     *
     * @param buffer holding the message.
     * @param offset of its message header.
     * @param length of the message.
     * @param templateId its template id.
     * @param position the stream position just after this message (a frame boundary, safe to replay from).
     */
    default void onMessage(
        final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
    {
    }

    /** @param msg instrument reference data. */
    default void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
    {
    }

    /** @param msg a new order. */
    default void onAddOrder(final AddOrderDecoder msg)
    {
    }

    /** @param msg an order replaced. */
    default void onModifyOrder(final ModifyOrderDecoder msg)
    {
    }

    /** @param msg an order cancelled or deleted. */
    default void onCancelOrder(final CancelOrderDecoder msg)
    {
    }

    /** @param msg an order executed. */
    default void onExecuteOrder(final ExecuteOrderDecoder msg)
    {
    }

    /** @param msg a price level changed. */
    default void onPriceLevelUpdate(final PriceLevelUpdateDecoder msg)
    {
    }

    /** @param msg a trade. */
    default void onTrade(final TradeDecoder msg)
    {
    }

    /** @param msg best bid and offer. */
    default void onTopOfBook(final TopOfBookDecoder msg)
    {
    }

    /** @param msg a book image; read its levels group in order. */
    default void onBookSnapshot(final BookSnapshotDecoder msg)
    {
    }

    /** @param msg a trading state change. */
    default void onTradingStatus(final TradingStatusDecoder msg)
    {
    }

    /** @param msg a heartbeat. */
    default void onHeartbeat(final HeartbeatDecoder msg)
    {
    }

    /** @param msg a source gap notice. */
    default void onGapNotice(final GapNoticeDecoder msg)
    {
    }

    /**
     * A sequenced stream jumped over global sequences: those messages will not arrive on this subscription (lost
     * beyond the transport's recovery, e.g. on an unreliable channel, or left behind by an untethered subscriber).
     * Called before the message after the gap; recover the range from the archive.
     *
     * @param fromGlobalSeq first missing global sequence.
     * @param toGlobalSeq last missing global sequence, inclusive.
     */
    default void onSequenceGap(final long fromGlobalSeq, final long toGlobalSeq)
    {
    }

    /** @param msg end of a session or of a replay. */
    default void onEndOfSession(final EndOfSessionDecoder msg)
    {
    }

    /**
     * @param msg a venue statistic (schema version 3): session open / high / low, settlement, open interest, volume,
     *            an auction's outcome.
     */
    default void onMarketStatistic(final MarketStatisticDecoder msg)
    {
    }
}
