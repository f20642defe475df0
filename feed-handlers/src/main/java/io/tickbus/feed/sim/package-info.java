/**
 * The exchange simulator: {@link io.tickbus.feed.sim.ItchSimulator} generates ITCH 5.0 order flow, which
 * {@link io.tickbus.feed.sim.MoldUdp64PacketWriter} packs into MoldUDP64 packets (or an ITCH binary file);
 * {@link io.tickbus.feed.sim.CapturePlayer} plays a capture onto UDP with its own timing. Both agents have a
 * Context, usable in process (the demo) or from {@code tickbus simulate}.
 */
package io.tickbus.feed.sim;
