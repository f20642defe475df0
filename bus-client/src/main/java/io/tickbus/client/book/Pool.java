package io.tickbus.client.book;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A stack of reusable objects. {@link #acquire()} allocates only when the pool is empty (warm-up or growth);
 * in steady state objects go round between the book and the pool.
 * <p>
 * Threading: one thread. Allocation: a new object when empty, a bigger array when more are released than ever
 * were held.
 *
 * @param <T> the pooled type.
 */
final class Pool<T>
{
    private final Supplier<T> factory;
    private Object[] items;
    private int size;

    Pool(final Supplier<T> factory, final int initialSize)
    {
        this.factory = factory;
        this.items = new Object[Math.max(initialSize, 16)];
        for (int i = 0; i < initialSize; i++)
        {
            items[size++] = factory.get();
        }
    }

    @SuppressWarnings("unchecked")
    T acquire()
    {
        if (0 == size)
        {
            return factory.get();
        }
        final T item = (T)items[--size];
        items[size] = null;
        return item;
    }

    void release(final T item)
    {
        if (size == items.length)
        {
            items = Arrays.copyOf(items, size << 1);
        }
        items[size++] = item;
    }

    int available()
    {
        return size;
    }
}
