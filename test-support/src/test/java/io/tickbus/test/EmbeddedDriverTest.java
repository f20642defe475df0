package io.tickbus.test;

import io.aeron.Publication;
import io.aeron.Subscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class EmbeddedDriverTest
{
    @Test
    void clientConnectsAndCloseRemovesTheDirectory() throws InterruptedException
    {
        final EmbeddedDriver driver = EmbeddedDriver.launch("test-support");
        try (Subscription subscription = driver.aeron().addSubscription("aeron:ipc", 7);
            Publication publication = driver.aeron().addPublication("aeron:ipc", 7))
        {
            assertTrue(driver.directoryExists());
            assertTrue(driver.directory().contains("test-support"), driver.directory());
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (!publication.isConnected() || !subscription.isConnected())
            {
                assertTrue(System.nanoTime() < deadline, "ipc publication and subscription connect");
                Thread.sleep(1);
            }
        }
        finally
        {
            driver.close();
        }
        assertFalse(driver.directoryExists(), "the driver deleted " + driver.directory());
        assertTrue(driver.aeron().isClosed());
    }
}
