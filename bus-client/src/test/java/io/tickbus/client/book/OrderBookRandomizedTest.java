package io.tickbus.client.book;

import io.tickbus.client.MessageDispatcher;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.Side;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long seeded random order flows through the SBE messages, the dispatcher and the builder, compared after every
 * event with a deliberately naive reference: a hash map of orders from which both sides' levels are recomputed
 * from scratch (TreeMaps) each time. The top levels (price, quantity, order count), the order count, the crossed
 * state and the count of unknown references must agree.
 */
@Timeout(120)
class OrderBookRandomizedTest
{
    private static final int ID = 42;
    private static final int EVENTS = 20_000;
    private static final int DEPTH = 10;

    /** The reference: orders as {side (0 bid, 1 ask), price, quantity}. */
    private final Map<Long, long[]> refOrders = new HashMap<>();
    private long refUnknown;

    @ParameterizedTest
    @ValueSource(longs = {1L, 7L, 20261121L, 0xC0FFEEL})
    void marketByOrderFlowMatchesNaiveReference(final long seed)
    {
        final Random random = new Random(seed);
        final BookMessages messages = new BookMessages();
        final OrderBooks books = new OrderBooks(new OrderBooks.Context().ordersPerBook(64).pooledOrders(16));
        final MessageDispatcher dispatcher = new MessageDispatcher(books);
        final List<Long> live = new ArrayList<>();
        long nextId = 1;
        long mid = 100_0000;
        int crossedSeen = 0;

        for (int event = 0; event < EVENTS; event++)
        {
            mid += (random.nextInt(3) - 1) * 100L;
            final int op = random.nextInt(100);
            final boolean shrink = live.size() > 300;
            if (live.isEmpty() || (op < 38 && !shrink))
            {
                final boolean duplicate = !live.isEmpty() && random.nextInt(50) == 0;
                final long id = duplicate ? live.get(random.nextInt(live.size())) : nextId++;
                final int side = random.nextInt(2);
                final long price = mid + (side == 0 ? -1 : 1) * 100L * (random.nextInt(12) - 1);
                final long qty = 1 + random.nextInt(500);
                messages.add(ID, id, side == 0 ? Side.BUY : Side.SELL, price, qty);
                refOrders.put(id, new long[]{side, price, qty});
                if (!duplicate)
                {
                    live.add(id);
                }
            }
            else if (op < 95)
            {
                final int index = random.nextInt(live.size());
                final long id = live.get(index);
                final long[] order = refOrders.get(id);
                final int kind = random.nextInt(4);
                if (kind == 0)
                {
                    final long qty = 1 + random.nextInt((int)order[2] + 50);
                    messages.cancel(ID, id, qty);
                    if (refReduce(id, qty))
                    {
                        removeAt(live, index);
                    }
                }
                else if (kind == 1)
                {
                    messages.delete(ID, id);
                    refOrders.remove(id);
                    removeAt(live, index);
                }
                else if (kind == 2)
                {
                    final long qty = 1 + random.nextInt((int)order[2] + 20);
                    messages.execute(ID, id, qty, random.nextBoolean() ? Long.MIN_VALUE : order[1]);
                    if (refReduce(id, qty))
                    {
                        removeAt(live, index);
                    }
                }
                else
                {
                    final long newId = random.nextBoolean() ? id : nextId++;
                    final long price = order[1] + 100L * (random.nextInt(5) - 2);
                    final long qty = random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(600);
                    final Side side = random.nextBoolean() ? Side.NONE : (order[0] == 0 ? Side.BUY : Side.SELL);
                    messages.modify(ID, id, newId, side, price, qty);
                    refOrders.remove(id);
                    removeAt(live, index);
                    if (qty > 0)
                    {
                        refOrders.put(newId, new long[]{order[0], price, qty});
                        live.add(newId);
                    }
                }
            }
            else
            {
                final long unknownId = 1_000_000_000L + event;
                switch (random.nextInt(4))
                {
                    case 0 -> messages.cancel(ID, unknownId, 5);
                    case 1 -> messages.delete(ID, unknownId);
                    case 2 -> messages.execute(ID, unknownId, 5, Long.MIN_VALUE);
                    default -> messages.modify(ID, unknownId, unknownId + 1, Side.BUY, mid, 5);
                }
                refUnknown++;
            }

            final int last = messages.count() - 1;
            assertTrue(dispatcher.dispatch(messages.buffer(), messages.offset(last), messages.length(last), 0));
            final OrderBook book = books.book(1, ID);
            compare(book, "seed " + seed + " event " + event);
            if (book.isCrossed())
            {
                crossedSeen++;
            }
        }
        assertTrue(crossedSeen > 0, "the flow exercised crossed books");
        assertTrue(live.size() > 0);
    }

    @ParameterizedTest
    @ValueSource(longs = {3L, 99L})
    void marketByPriceFlowMatchesNaiveReference(final long seed)
    {
        final Random random = new Random(seed);
        final BookMessages messages = new BookMessages();
        final OrderBooks books = new OrderBooks();
        final MessageDispatcher dispatcher = new MessageDispatcher(books);
        final List<TreeMap<Long, Long>> ref = List.of(new TreeMap<>(), new TreeMap<>());
        long unknownLevels = 0;

        for (int event = 0; event < EVENTS; event++)
        {
            final int side = random.nextInt(2);
            final TreeMap<Long, Long> levels = ref.get(side);
            final long price = 5000 + (side == 0 ? -1 : 1) * random.nextInt(40);
            final boolean exists = levels.containsKey(price);
            final int kind = random.nextInt(10);
            final LevelAction action = kind < 4 ? LevelAction.NEW : kind < 8 ? LevelAction.CHANGE : LevelAction.DELETE;
            final long qty = action == LevelAction.DELETE || random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(1000);
            messages.level(ID, side == 0 ? Side.BUY : Side.SELL, action, 0, price, qty, 1);
            if (action == LevelAction.DELETE || qty == 0)
            {
                if (!exists)
                {
                    unknownLevels++;
                }
                levels.remove(price);
            }
            else
            {
                if (action == LevelAction.CHANGE && !exists)
                {
                    unknownLevels++;
                }
                levels.put(price, qty);
            }

            final int last = messages.count() - 1;
            assertTrue(dispatcher.dispatch(messages.buffer(), messages.offset(last), messages.length(last), 0));
            final OrderBook book = books.book(1, ID);
            final String where = "seed " + seed + " event " + event;
            compareLevels(book.bids(), ref.get(0).descendingMap(), where);
            compareLevels(book.asks(), ref.get(1), where);
            assertEquals(unknownLevels, book.unknownLevelCount(), where);
        }
    }

    private static void compareLevels(final BookSide side, final NavigableMap<Long, Long> expected, final String where)
    {
        assertEquals(expected.size(), side.depth(), where + " depth");
        int i = 0;
        for (final Map.Entry<Long, Long> e : expected.entrySet())
        {
            if (i >= DEPTH)
            {
                break;
            }
            assertEquals(e.getKey(), side.priceAt(i), where + " price " + i);
            assertEquals(e.getValue(), side.quantityAt(i), where + " quantity " + i);
            i++;
        }
    }

    private static void removeAt(final List<Long> list, final int index)
    {
        final int lastIndex = list.size() - 1;
        list.set(index, list.get(lastIndex));
        list.remove(lastIndex);
    }

    private boolean refReduce(final long id, final long qty)
    {
        final long[] order = refOrders.get(id);
        if (qty >= order[2])
        {
            refOrders.remove(id);
            return true;
        }
        order[2] -= qty;
        return false;
    }

    private void compare(final OrderBook book, final String where)
    {
        // naive: recompute every level of both sides from all orders
        final TreeMap<Long, long[]> bids = new TreeMap<>((a, b) -> Long.compare(b, a));
        final TreeMap<Long, long[]> asks = new TreeMap<>();
        for (final long[] order : refOrders.values())
        {
            final long[] level = (order[0] == 0 ? bids : asks).computeIfAbsent(order[1], (k) -> new long[2]);
            level[0] += order[2];
            level[1]++;
        }
        compareSide(book.bids(), bids, where + " bids");
        compareSide(book.asks(), asks, where + " asks");
        assertEquals(refOrders.size(), book.orderCount(), where + " orders");
        assertEquals(refUnknown, book.unknownOrderCount(), where + " unknown");
        final boolean crossed = !bids.isEmpty() && !asks.isEmpty() && bids.firstKey() > asks.firstKey();
        assertEquals(crossed, book.isCrossed(), where + " crossed");
    }

    private static void compareSide(final BookSide side, final TreeMap<Long, long[]> expected, final String where)
    {
        assertEquals(expected.size(), side.depth(), where + " depth");
        int i = 0;
        for (final Map.Entry<Long, long[]> e : expected.entrySet())
        {
            if (i >= DEPTH)
            {
                break;
            }
            assertEquals(e.getKey(), side.priceAt(i), where + " price " + i);
            assertEquals(e.getValue()[0], side.quantityAt(i), where + " quantity " + i);
            assertEquals(e.getValue()[1], side.orderCountAt(i), where + " orders " + i);
            i++;
        }
    }
}
