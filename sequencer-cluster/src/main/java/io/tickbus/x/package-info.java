/** Placeholder until the sequencer land. */
package io.tickbus.x;
