/**
 * Sample strategies, starting points for users and workloads for the demo.
 */
package io.tickbus.client.strategy.examples;
