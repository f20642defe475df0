/**
 * The strategy API: a {@link io.tickbus.client.strategy.Strategy} gets per-message callbacks, a clock and timers
 * through its {@link io.tickbus.client.strategy.StrategyContext}; a {@link io.tickbus.client.strategy.StrategyRunner}
 * attaches it to a live or replayed stream; {@link io.tickbus.client.strategy.ClockMode#EVENT} runs its clock and
 * timers on recorded exchange time for deterministic backtests.
 */
package io.tickbus.client.strategy;
