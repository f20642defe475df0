/**
 * The exchange simulator: {@link io.tickbus.feed.sim.ItchSimulator} generates ITCH 5.0 order flow over MoldUDP64
 * (or into an ITCH binary file), {@link io.tickbus.feed.sim.CapturePlayer} plays a capture onto UDP with its own
 * timing. Both are Agrona agents with a Context, usable in process (the demo) or from {@code tickbus simulate}.
 */
package io.tickbus.feed.sim;
