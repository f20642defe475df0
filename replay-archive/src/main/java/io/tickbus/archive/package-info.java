/**
 * The Tickbus replay archive: Aeron Archive launched and driven for market data ({@link
 * io.tickbus.archive.TickbusArchive}), the per-day catalog with its time index ({@link io.tickbus.archive.DayCatalog}),
 * replay of a recorded day ({@link io.tickbus.archive.DayReplayer}) and late join onto a live stream
 * ({@link io.tickbus.archive.LateJoinSubscriber}). See docs/archive.md.
 */
package io.tickbus.archive;
