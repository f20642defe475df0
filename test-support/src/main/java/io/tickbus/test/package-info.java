/**
 * Fixtures shared by the modules' tests (test scope only): {@link io.tickbus.test.ThreadAllocation} for the
 * allocation tests, {@link io.tickbus.test.EmbeddedDriver} for a test's own driver and client, and
 * {@link io.tickbus.test.TestMessages} for the messages tests publish.
 */
package io.tickbus.test;
