/**
 * The Tickbus replay archive, the host side: Aeron Archive launched and driven for market data ({@link
 * io.tickbus.archive.TickbusArchive}, its directory {@link io.tickbus.archive.ArchiveDirectory}, retention and
 * replication), the per-day catalog with its time index ({@link io.tickbus.archive.DayCatalog}) kept by the catalog
 * agent, and control authentication. What a client of the archive uses (a recorded day's replay, late join onto a
 * live stream, the reliable sequenced subscriber) is in {@link io.tickbus.archive.client}. See docs/archive.md.
 */
package io.tickbus.archive;
