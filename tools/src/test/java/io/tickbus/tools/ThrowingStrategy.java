package io.tickbus.tools;

import io.tickbus.client.strategy.Strategy;
import io.tickbus.sbe.TradeDecoder;

/**
 * A strategy with a bug: it throws on every trade. For the tests of what {@code backtest} and {@code run} print
 * then (one stack trace, a bounded count, the total in the summary).
 */
public final class ThrowingStrategy implements Strategy
{
    private long trades;

    /** The no-argument constructor the commands need. */
    public ThrowingStrategy()
    {
    }

    public void onTrade(final TradeDecoder msg)
    {
        trades++;
        throw new IllegalStateException("bug on trade " + trades);
    }

    /**
     * @return what the commands print at the end.
     */
    public String summary()
    {
        return "{\"trades\":" + trades + "}";
    }
}
