package io.tickbus.client.book;

import io.tickbus.client.MessageDispatcher;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.Side;
import io.tickbus.test.ThreadAllocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady state allocates nothing: a flow that returns the books to empty is played several times to warm the pools
 * and maps, then once more while the thread's allocated bytes are measured. A single allocation per message would
 * show as hundreds of kilobytes; the slack allowed covers only the measuring calls themselves.
 */
@Timeout(60)
class OrderBookAllocationTest
{
    private static final long SLACK_BYTES = 1024;

    @Test
    void steadyStateUpdatesAllocateNothing()
    {
        final ThreadAllocation allocation = ThreadAllocation.enabledOrSkip();

        final BookMessages messages = cyclicFlow(new Random(11), 10_000);
        final OrderBooks books = new OrderBooks(new OrderBooks.Context().ordersPerBook(32).pooledOrders(0));
        final MessageDispatcher dispatcher = new MessageDispatcher(books);
        for (int pass = 0; pass < 5; pass++)
        {
            play(messages, dispatcher);
        }
        assertEquals(0, books.book(1, 1).orderCount(), "flow ends with an empty MBO book");

        final int[] dispatched = new int[1];
        final Runnable measured = () -> dispatched[0] = play(messages, dispatcher);
        final long allocated = allocation.allocatedBy(measured);
        assertEquals(messages.count(), dispatched[0]);
        assertTrue(allocated <= SLACK_BYTES, "allocated " + allocated + " bytes over " + dispatched[0] + " messages");
    }

    private static int play(final BookMessages messages, final MessageDispatcher dispatcher)
    {
        int dispatched = 0;
        for (int i = 0; i < messages.count(); i++)
        {
            if (dispatcher.dispatch(messages.buffer(), messages.offset(i), messages.length(i), 0))
            {
                dispatched++;
            }
        }
        return dispatched;
    }

    /** Adds, replaces, executions, cancels, trades on instrument 1; level updates, snapshots, quotes on 2 and 3. */
    private static BookMessages cyclicFlow(final Random random, final int events)
    {
        final BookMessages messages = new BookMessages();
        final List<Long> live = new ArrayList<>();
        long nextId = 1;
        for (int i = 0; i < events; i++)
        {
            final int op = random.nextInt(10);
            if (live.isEmpty() || op < 4)
            {
                final long id = nextId++;
                final boolean buy = random.nextBoolean();
                messages.add(1, id, buy ? Side.BUY : Side.SELL, 10_000 + (buy ? -1 : 1) * random.nextInt(50), 100);
                live.add(id);
            }
            else if (op == 4)
            {
                final int index = random.nextInt(live.size());
                final long newId = nextId++;
                messages.modify(1, live.get(index), newId, Side.NONE, 10_000 + random.nextInt(50), 80);
                live.set(index, newId);
            }
            else if (op == 5)
            {
                messages.execute(1, live.get(random.nextInt(live.size())), 10, Long.MIN_VALUE);
            }
            else if (op == 6)
            {
                messages.delete(1, live.remove(live.size() - 1));
            }
            else if (op == 7)
            {
                messages.level(2, random.nextBoolean() ? Side.BUY : Side.SELL,
                    random.nextBoolean() ? LevelAction.NEW : LevelAction.DELETE, 0, 500 + random.nextInt(20), 10, 1);
            }
            else if (op == 8)
            {
                messages.quote(3, 100, 5, 101 + random.nextInt(3), 7).trade(1, 10_000, 3);
            }
            else if (random.nextInt(20) == 0)
            {
                messages.snapshot(2, -4, new long[][]{{'B', 505, 10, 1}, {'S', 515, 20, 2}});
            }
        }
        while (!live.isEmpty())
        {
            messages.delete(1, live.remove(live.size() - 1));
        }
        return messages;
    }
}
