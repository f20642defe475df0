package io.tickbus.feed.iex;

import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.MessageSink;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;

/**
 * Test sink: keeps a copy of every message published to it, so a test can decode them afterwards with the bus
 * client's own dispatcher (the same decoding a subscriber does).
 */
final class RecordingSink implements MessageSink
{
    private final ExpandableArrayBuffer store = new ExpandableArrayBuffer(1 << 20);
    private final IntArrayList offsets = new IntArrayList();
    private final IntArrayList lengths = new IntArrayList();
    private int limit;

    public long publish(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        store.putBytes(limit, buffer, offset, length);
        offsets.addInt(limit);
        lengths.addInt(length);
        limit += length;
        return limit;
    }

    int count()
    {
        return offsets.size();
    }

    int templateId(final int index)
    {
        return store.getShort(offsets.getInt(index) + 2, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    /** @return the common block's flags of a message. */
    int flags(final int index)
    {
        return store.getByte(offsets.getInt(index) + 8 + 55) & 0xFF;
    }

    /** @return a PriceLevelUpdate's eventFlags (root offset 59). */
    int eventFlags(final int index)
    {
        return store.getByte(offsets.getInt(index) + 8 + 56 + 3) & 0xFF;
    }

    void clear()
    {
        offsets.clear();
        lengths.clear();
        limit = 0;
    }

    /**
     * Replay every recorded message to a listener.
     *
     * @param listener receives them.
     * @return messages the dispatcher rejected as malformed.
     */
    long dispatchAll(final MarketDataListener listener)
    {
        final MessageDispatcher dispatcher = new MessageDispatcher(listener);
        for (int i = 0; i < offsets.size(); i++)
        {
            dispatcher.dispatch(store, offsets.getInt(i), lengths.getInt(i), 0);
        }
        return dispatcher.malformedCount();
    }

    /**
     * @param index message index.
     * @param listener receives that one message.
     */
    void dispatch(final int index, final MarketDataListener listener)
    {
        new MessageDispatcher(listener).dispatch(store, offsets.getInt(index), lengths.getInt(index), 0);
    }
}
