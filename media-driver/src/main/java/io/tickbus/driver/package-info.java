/**
 * The Aeron media driver as Tickbus runs it: {@link io.tickbus.driver.TickbusDriver} with a
 * {@link io.tickbus.driver.DriverProfile} (small or dedicated), standalone or embedded.
 */
package io.tickbus.driver;
