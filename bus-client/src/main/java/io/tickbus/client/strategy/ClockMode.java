package io.tickbus.client.strategy;

/**
 * Which time a strategy's clock and timers follow.
 */
public enum ClockMode
{
    /** Wall clock (epoch ns): live trading. Timers fire from the runner's duty cycle, even on a quiet stream. */
    WALL,
    /**
     * Recorded exchange time of the message being processed: backtests. Timers fire just before the first message
     * whose exchange time reaches their deadline, with the clock set to the deadline, so a run over the same data
     * fires the same timers in the same order.
     */
    EVENT
}
