/** Placeholder until the feed handlers land. */
package io.tickbus.x;
