package io.tickbus.client;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ComponentErrorsTest
{
    @TempDir
    File dir;

    @Test
    void anErrorIsLoggedWithItsCountAndTimesCountedAndPassedOn() throws Exception
    {
        final AtomicCounter counter = new AtomicCounter(new UnsafeBuffer(new byte[64]), 0);
        final List<Throwable> passedOn = new ArrayList<>();
        final File file;
        final long beforeMs = System.currentTimeMillis();
        try (ComponentErrors errors = ComponentErrors.create(dir, "feed itch/1", passedOn::add, counter))
        {
            file = errors.file();
            assertEquals("feed_itch_1-" + ProcessHandle.current().pid() + ComponentErrors.FILE_SUFFIX, file.getName());
            final IllegalStateException same = new IllegalStateException("venue went away");
            errors.errorHandler().onError(same);
            Thread.sleep(5);
            errors.errorHandler().onError(same);
            errors.errorHandler().onError(new IllegalArgumentException("bad frame"));

            assertEquals(3, counter.get());
            assertEquals(3, passedOn.size());
            assertSame(same, passedOn.get(0));

            final List<String> seen = new ArrayList<>();
            final int distinct = ComponentErrors.read(file, (count, firstMs, lastMs, text) ->
            {
                assertTrue(firstMs >= beforeMs && lastMs >= firstMs, firstMs + " " + lastMs);
                seen.add(count + " " + text.lines().findFirst().orElse(""));
            });
            assertEquals(2, distinct);
            assertEquals("2 java.lang.IllegalStateException: venue went away", seen.get(0));
            assertEquals("1 java.lang.IllegalArgumentException: bad frame", seen.get(1));
            assertTrue(ComponentErrors.describe(file).startsWith("feed itch/1 pid="), ComponentErrors.describe(file));
        }
        assertTrue(file.exists(), "a log with errors outlives its component");
        assertEquals(2, ComponentErrors.read(file, (count, firstMs, lastMs, text) -> { }));
    }

    @Test
    void anUncountedHandlerLogsWithoutCountingAgain()
    {
        final AtomicCounter counter = new AtomicCounter(new UnsafeBuffer(new byte[64]), 0);
        try (ComponentErrors errors = ComponentErrors.create(dir, "agent", null, counter))
        {
            errors.uncountedErrorHandler().onError(new IllegalStateException("from the agent runner"));
            assertEquals(0, counter.get());
            assertEquals(1, ComponentErrors.read(errors.file(), (count, firstMs, lastMs, text) -> { }));
        }
    }

    @Test
    void aComponentWithoutErrorsLeavesNoFileAndTwoOfOneNameDoNotShare()
    {
        final AtomicCounter counter = new AtomicCounter(new UnsafeBuffer(new byte[64]), 0);
        try (ComponentErrors first = ComponentErrors.create(dir, "strategy", null, counter);
            ComponentErrors second = ComponentErrors.create(dir, "strategy", null, counter))
        {
            assertFalse(first.file().equals(second.file()));
            first.close();
            assertFalse(first.file().exists());
            first.errorHandler().onError(new IllegalStateException("after close"));
            assertEquals(0, counter.get(), "a closed path neither logs nor counts");
        }
        assertEquals(0, dir.listFiles().length);
    }

    @Test
    void aFileThatIsNotAnErrorsFileIsAClearError() throws Exception
    {
        final File other = new File(dir, "other" + ComponentErrors.FILE_SUFFIX);
        java.nio.file.Files.write(other.toPath(), new byte[256]);
        final IllegalStateException ex =
            assertThrows(IllegalStateException.class, () -> ComponentErrors.read(other, (c, f, l, t) -> { }));
        assertTrue(ex.getMessage().contains("not a Tickbus errors file"), ex.getMessage());
    }
}
