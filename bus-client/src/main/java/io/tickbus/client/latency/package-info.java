/**
 * Latency per hop of a message's path: {@link io.tickbus.client.latency.Hop} names the legs read from the common
 * block's timestamps and {@link io.tickbus.client.latency.HopHistograms} records them into HdrHistograms (what
 * {@code tickbus latency}, the demo and the perf harnesses share).
 */
package io.tickbus.client.latency;
