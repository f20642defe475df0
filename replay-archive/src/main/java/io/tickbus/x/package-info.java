/** Placeholder until the replay archive land. */
package io.tickbus.x;
