/**
 * Fixtures shared by the modules' tests (test scope only): {@link io.tickbus.test.ThreadAllocation} for the
 * allocation tests and {@link io.tickbus.test.EmbeddedDriver} for a test's own driver and client.
 */
package io.tickbus.test;
