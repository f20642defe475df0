/**
 * Fixtures shared by the modules' tests (test scope only): {@link io.tickbus.test.ThreadAllocation} for the
 * allocation tests.
 */
package io.tickbus.test;
