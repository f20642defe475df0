/** Placeholder until the benchmarks land. */
package io.tickbus.x;
