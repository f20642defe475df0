/**
 * The client side of the Tickbus archive, what a replaying, late-joining or reliable subscriber links: replay of a
 * recorded trading day ({@link io.tickbus.archive.client.DayReplayer}), late join onto a live stream from its
 * recording ({@link io.tickbus.archive.client.LateJoinSubscriber}, {@link
 * io.tickbus.archive.client.ReplayThenLiveSource}) and the sequenced stream's reliable subscriber ({@link
 * io.tickbus.archive.client.SequencedSubscriber}). It reads the day catalog ({@link io.tickbus.archive.DayCatalog})
 * and talks to the archive through Aeron's archive client. See docs/archive.md.
 */
package io.tickbus.archive.client;
