package io.tickbus.client;

import io.aeron.Aeron;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.test.EmbeddedDriver;
import io.tickbus.test.TestMessages;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.MutableLong;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publish and subscribe through a real embedded media driver over IPC, UDP unicast and UDP multicast on
 * loopback. Ports 20100-20199.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BusPubSubTest
{
    private static final int STREAM = 1001;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(20);

    private EmbeddedDriver driver;
    private Aeron aeron;
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final TestMessages messages = new TestMessages();

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch("bus-test");
        aeron = driver.aeron();
    }

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(driver);
        assertFalse(driver.directoryExists(), "driver directory removed");
    }

    static void await(final BooleanSupplier condition, final Runnable work)
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        final YieldingIdleStrategy idle = new YieldingIdleStrategy();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("condition not met within " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NS) + "s");
            }
            work.run();
            idle.idle();
        }
    }

    private void roundTrip(final String channel)
    {
        final List<Long> seen = new ArrayList<>();
        final MutableLong publishTime = new MutableLong();
        final MarketDataListener listener = new MarketDataListener()
        {
            public void onTrade(final TradeDecoder msg)
            {
                seen.add(msg.common().sourceSeq());
                publishTime.set(msg.common().publishTime());
                assertEquals(10_000 + msg.common().sourceSeq(), msg.price().mantissa());
            }
        };
        try (BusSubscriber sub = new BusSubscriber(aeron, channel, STREAM, listener);
            BusPublisher pub = new BusPublisher(aeron, channel, STREAM))
        {
            await(() -> pub.isConnected() && sub.isConnected(), () -> sub.poll(10));
            final long before = System.currentTimeMillis() * 1_000_000L;
            for (long seq = 1; seq <= 100; seq++)
            {
                final int length = messages.tradeAt(buffer, 0, 1, 7, seq);
                assertTrue(pub.offer(buffer, 0, length) > 0);
            }
            await(() -> seen.size() == 100, () -> sub.poll(10));
            for (int i = 0; i < 100; i++)
            {
                assertEquals(i + 1, seen.get(i));
            }
            assertTrue(publishTime.get() >= before - TimeUnit.SECONDS.toNanos(1),
                "publish time stamped in epoch ns: " + publishTime.get());
            assertEquals(100, pub.publishedCount());
            assertEquals(100, sub.dispatcher().receivedCount());
        }
    }

    @Test
    void ipc()
    {
        roundTrip(BusChannels.IPC);
    }

    @Test
    void udpUnicastOnLoopback()
    {
        roundTrip(BusChannels.udp("127.0.0.1", 20101));
    }

    @Test
    void udpMulticastOnLoopbackInterface()
    {
        roundTrip(BusChannels.multicast("239.255.90.11", 20103, "127.0.0.1", 0));
    }

    @Test
    void zeroCopyClaimStampsPublishTime()
    {
        final MutableLong received = new MutableLong();
        final MutableLong publishTime = new MutableLong();
        try (BusSubscriber sub = new BusSubscriber(aeron, BusChannels.IPC, STREAM, new MarketDataListener()
        {
            public void onTrade(final TradeDecoder msg)
            {
                received.increment();
                publishTime.set(msg.common().publishTime());
            }
        });
            BusPublisher pub = new BusPublisher(aeron, BusChannels.IPC, STREAM))
        {
            await(pub::isConnected, () -> sub.poll(10));
            final int length = messages.tradeAt(buffer, 0, 1, 1, 1);
            assertTrue(pub.claim(length));
            messages.tradeAt(pub.claimBuffer(), pub.claimOffset(), 1, 1, 1);
            pub.commit();
            await(() -> received.get() == 1, () -> sub.poll(10));
            assertTrue(publishTime.get() > 0);
            assertThrows(IllegalStateException.class, pub::commit, "commit twice is refused");
        }
    }

    @Test
    void messageLargerThanMtuArrivesWhole()
    {
        final ExpandableArrayBuffer big = new ExpandableArrayBuffer(64 * 1024);
        final int levels = 2000; // 2000 x 21 bytes ~ 42 KB, many MTU-sized frames
        final MutableLong levelsSeen = new MutableLong();
        final MutableLong lastPrice = new MutableLong();
        final String channel = BusChannels.udp("127.0.0.1", 20105);
        try (BusSubscriber sub = new BusSubscriber(aeron, channel, STREAM, new MarketDataListener()
        {
            public void onBookSnapshot(final BookSnapshotDecoder msg)
            {
                for (final BookSnapshotDecoder.LevelsDecoder level : msg.levels())
                {
                    levelsSeen.increment();
                    lastPrice.set(level.price());
                }
            }
        });
            BusPublisher pub = new BusPublisher(aeron, channel, STREAM))
        {
            await(() -> pub.isConnected() && sub.isConnected(), () -> sub.poll(10));
            final int length = messages.snapshotAt(big, 0, levels);
            assertTrue(length > pub.maxClaimLength(), "bigger than one frame: " + length);
            assertTrue(pub.offer(big, 0, length) > 0);
            await(() -> levelsSeen.get() == levels, () -> sub.poll(10));
            assertEquals(1_000_000 - (levels - 1), lastPrice.get());
        }
    }

    @Test
    void oneMillionMessagesArriveCompleteAndInOrder()
    {
        final int count = 1_000_000;
        final MutableLong expected = new MutableLong(1);
        final MutableLong outOfOrder = new MutableLong();
        final MarketDataListener listener = new MarketDataListener()
        {
            public void onTrade(final TradeDecoder msg)
            {
                if (msg.common().sourceSeq() != expected.get())
                {
                    outOfOrder.increment();
                }
                expected.set(msg.common().sourceSeq() + 1);
            }
        };
        try (BusSubscriber sub = new BusSubscriber(aeron, BusChannels.IPC, STREAM, listener);
            BusPublisher pub = new BusPublisher(aeron, BusChannels.IPC, STREAM,
                new BackPressurePolicy(0, BackPressurePolicy.Exhausted.DROP),
                new org.agrona.concurrent.OffsetEpochNanoClock()))
        {
            // One thread publishes and polls: a refused offer is retried by the test after draining.
            await(pub::isConnected, () -> sub.poll(10));
            final int length = messages.tradeAt(buffer, 0, 1, 1, 1);
            for (long seq = 1; seq <= count; seq++)
            {
                buffer.putLong(CommonBlock.SOURCE_SEQ_OFFSET, seq, java.nio.ByteOrder.LITTLE_ENDIAN);
                while (pub.offer(buffer, 0, length) < 0)
                {
                    sub.poll(256);
                }
                if ((seq & 1023) == 0)
                {
                    sub.poll(256);
                }
            }
            await(() -> expected.get() == count + 1, () -> sub.poll(1024));
            assertEquals(0, outOfOrder.get());
            assertEquals(count, sub.dispatcher().receivedCount());
            assertEquals(count, pub.publishedCount());
        }
    }

    @Test
    void stalledSubscriberTriggersDropPolicyAndCounters()
    {
        final String channel = BusChannels.IPC;
        try (BusSubscriber sub = new BusSubscriber(aeron, channel, STREAM, new MarketDataListener()
        {
        });
            BusPublisher pub = new BusPublisher(aeron, channel, STREAM,
                new BackPressurePolicy(TimeUnit.MICROSECONDS.toNanos(50), BackPressurePolicy.Exhausted.DROP),
                new org.agrona.concurrent.OffsetEpochNanoClock()))
        {
            await(pub::isConnected, () -> sub.poll(10));
            final int length = messages.tradeAt(buffer, 0, 1, 1, 1);
            // The subscriber never polls: the term window (IPC term 16 MiB / 2) fills, then offers are refused.
            long accepted = 0;
            long dropped = 0;
            final long bound = 2_000_000;
            for (long i = 0; i < bound && dropped < 10; i++)
            {
                final long result = pub.offer(buffer, 0, length);
                if (result > 0)
                {
                    accepted++;
                }
                else
                {
                    assertEquals(BusPublisher.DROPPED, result);
                    dropped++;
                }
            }
            assertEquals(10, dropped, "the publisher gives up under back pressure instead of stalling");
            assertEquals(accepted, pub.publishedCount());
            assertEquals(10, pub.droppedCount());
            assertTrue(pub.backPressuredCount() >= 10, "each refused attempt counted");

            // The same situation with FAIL surfaces as an exception naming the stream.
            try (BusPublisher failing = new BusPublisher(aeron, channel, STREAM + 1,
                new BackPressurePolicy(0, BackPressurePolicy.Exhausted.FAIL),
                new org.agrona.concurrent.OffsetEpochNanoClock());
                BusSubscriber idleSub = new BusSubscriber(aeron, channel, STREAM + 1, new MarketDataListener()
                {
                }))
            {
                await(failing::isConnected, () -> { });
                final PublicationFailedException ex = assertThrows(PublicationFailedException.class, () ->
                {
                    for (int i = 0; i < 2_000_000; i++)
                    {
                        failing.offer(buffer, 0, length);
                    }
                });
                assertTrue(ex.getMessage().contains("stream=" + (STREAM + 1)), ex.getMessage());
                assertTrue(idleSub.isConnected());
            }
        }
    }

    @Test
    void publishingWithoutSubscriberDropsAndCountsNotConnected()
    {
        try (BusPublisher pub = new BusPublisher(aeron, BusChannels.udp("127.0.0.1", 20107), STREAM))
        {
            final int length = messages.tradeAt(buffer, 0, 1, 1, 1);
            for (int i = 0; i < 5; i++)
            {
                assertEquals(BusPublisher.NOT_CONNECTED, pub.offer(buffer, 0, length));
            }
            assertEquals(5, pub.notConnectedCount());
            assertEquals(0, pub.publishedCount());
            assertEquals(0, pub.droppedCount());
            assertFalse(pub.claim(length));
            assertEquals(6, pub.notConnectedCount());
        }
    }

    @Test
    void symbolFilterAdmitsOnlyTheChosenInstrument()
    {
        final List<Integer> instruments = new ArrayList<>();
        final List<String> definitions = new ArrayList<>();
        final MarketDataListener listener = new MarketDataListener()
        {
            public void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
            {
                definitions.add(InstrumentDirectory.symbolOf(msg));
            }

            public void onTrade(final TradeDecoder msg)
            {
                instruments.add(msg.common().instrumentId());
            }
        };
        try (BusSubscriber sub = new BusSubscriber(aeron, BusChannels.IPC, STREAM, listener,
            new InstrumentFilter().symbol("MSFT"));
            BusPublisher pub = new BusPublisher(aeron, BusChannels.IPC, STREAM))
        {
            await(pub::isConnected, () -> sub.poll(10));
            publish(pub, messages.definitionAt(buffer, 0, 1, 1, "AAPL"));
            publish(pub, messages.definitionAt(buffer, 0, 1, 2, "MSFT"));
            publish(pub, messages.definitionAt(buffer, 0, 2, 1, "MSFT")); // same symbol, other feed, id 1
            for (int i = 0; i < 3; i++)
            {
                publish(pub, messages.tradeAt(buffer, 0, 1, 1, i)); // AAPL on feed 1: filtered out
                publish(pub, messages.tradeAt(buffer, 0, 1, 2, i)); // MSFT on feed 1
                publish(pub, messages.tradeAt(buffer, 0, 2, 1, i)); // MSFT on feed 2
            }
            await(() -> sub.dispatcher().receivedCount() + sub.dispatcher().filteredCount() == 12,
                () -> sub.poll(10));
            assertEquals(List.of("AAPL", "MSFT", "MSFT"), definitions, "definitions always pass");
            assertEquals(List.of(2, 1, 2, 1, 2, 1), instruments);
            assertEquals(3, sub.dispatcher().filteredCount());
        }
    }

    private void publish(final BusPublisher pub, final int length)
    {
        assertTrue(pub.offer(buffer, 0, length) > 0);
    }

    @Test
    void malformedFragmentsAreCountedAndSkipped()
    {
        final MutableLong trades = new MutableLong();
        final MessageDispatcher dispatcher = new MessageDispatcher(new MarketDataListener()
        {
            public void onTrade(final TradeDecoder msg)
            {
                trades.increment();
            }
        });
        final int length = messages.tradeAt(buffer, 0, 1, 1, 1);
        assertTrue(dispatcher.dispatch(buffer, 0, length, 0));
        assertFalse(dispatcher.dispatch(buffer, 0, 10, 0), "shorter than header + common block");
        assertFalse(dispatcher.dispatch(buffer, 0, length - 1, 0), "shorter than the block says");
        final DirectBuffer copy = copyWithShort(buffer, length, 4, (short)999); // wrong schema id
        assertFalse(dispatcher.dispatch(copy, 0, length, 0));
        final DirectBuffer unknownTemplate = copyWithShort(buffer, length, 2, (short)250);
        assertFalse(dispatcher.dispatch(unknownTemplate, 0, length, 0));
        assertEquals(1, trades.get());
        assertEquals(4, dispatcher.malformedCount());

        // Enum values the schema does not define (found by fuzzing: the getter would throw in the listener).
        final int venueAt = CommonBlock.OFFSET + io.tickbus.sbe.CommonDecoder.venueEncodingOffset();
        final UnsafeBuffer badVenue = copyWithByte(buffer, length, venueAt, (byte)8);
        assertFalse(dispatcher.dispatch(badVenue, 0, length, 0), "venue 8 is not defined");
        final int sideAt = CommonBlock.OFFSET + TradeDecoder.aggressorSideEncodingOffset();
        assertFalse(dispatcher.dispatch(copyWithByte(buffer, length, sideAt, (byte)'X'), 0, length, 0));
        assertEquals(1, trades.get());
        assertEquals(6, dispatcher.malformedCount());

        // A newer schema version may define more values: its messages are passed on.
        badVenue.putShort(6, (short)(io.tickbus.sbe.MessageHeaderDecoder.SCHEMA_VERSION + 1),
            java.nio.ByteOrder.LITTLE_ENDIAN);
        assertTrue(dispatcher.dispatch(badVenue, 0, length, 0));
        assertEquals(2, trades.get());
    }

    @Test
    void sequencedRepeatsReachTheListenerOnce()
    {
        final List<Long> delivered = new ArrayList<>();
        final MessageDispatcher dispatcher = new MessageDispatcher(new MarketDataListener()
        {
            public void onTrade(final TradeDecoder msg)
            {
                delivered.add(msg.common().globalSeq());
            }
        });
        // A leader change: the old leader sent 1..5, the new one republishes 3..5 and continues with 6, 7.
        for (final long globalSeq : new long[]{1, 2, 3, 4, 5, 3, 4, 5, 6, 7})
        {
            final int length = messages.tradeAt(buffer, 0, 1, 1, globalSeq);
            CommonBlock.sequence(buffer, 0, globalSeq, 1);
            dispatcher.dispatch(buffer, 0, length, 0);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), delivered);
        assertEquals(3, dispatcher.repeatCount());
        assertEquals(7, dispatcher.highestGlobalSeq());

        // Unsequenced messages are never dropped for their sequence: a direct stream may repeat a source sequence.
        for (int i = 0; i < 2; i++)
        {
            final int length = messages.tradeAt(buffer, 0, 1, 1, 42);
            CommonBlock.sequence(buffer, 0, 0, 0);
            assertTrue(dispatcher.dispatch(buffer, 0, length, 0));
        }
        assertEquals(3, dispatcher.repeatCount());
    }

    @Test
    void publishingAfterTheClientClosedReportsClosedWithoutTouchingItsCounters()
    {
        // The Aeron client unmaps its counters file when it closes (as it does when the driver dies); before the fix
        // the publisher's CLOSED counter write landed in unmapped memory and crashed the JVM.
        final Aeron ownClient = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.directory()));
        final BusPublisher pub = new BusPublisher(ownClient, BusChannels.IPC, STREAM + 7);
        final int length = messages.tradeAt(buffer, 0, 1, 1, 1);
        ownClient.close();
        assertEquals(BusPublisher.CLOSED, pub.offer(buffer, 0, length));
        assertEquals(BusPublisher.CLOSED, pub.offer(buffer, 0, length));
        assertFalse(pub.claim(length));
        assertEquals(0, pub.publishedCount());
        pub.close();
    }

    @Test
    void jumpsOverGlobalSequencesAreReportedAsGaps()
    {
        final List<String> reported = new ArrayList<>();
        final MessageDispatcher dispatcher = new MessageDispatcher(new MarketDataListener()
        {
            public void onSequenceGap(final long fromGlobalSeq, final long toGlobalSeq)
            {
                reported.add(fromGlobalSeq + ".." + toGlobalSeq);
            }
        });
        for (final long globalSeq : new long[]{1, 2, 5, 6, 9, 10})
        {
            final int length = messages.tradeAt(buffer, 0, 1, 1, globalSeq);
            CommonBlock.sequence(buffer, 0, globalSeq, 1);
            assertTrue(dispatcher.dispatch(buffer, 0, length, 0));
        }
        assertEquals(List.of("3..4", "7..8"), reported);
        assertEquals(2, dispatcher.gapCount());
    }

    private static UnsafeBuffer copyWithByte(final UnsafeBuffer src, final int length, final int at, final byte v)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, src, 0, length);
        copy.putByte(at, v);
        return copy;
    }

    private static DirectBuffer copyWithShort(final UnsafeBuffer src, final int length, final int at, final short v)
    {
        final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
        copy.putBytes(0, src, 0, length);
        copy.putShort(at, v, java.nio.ByteOrder.LITTLE_ENDIAN);
        return copy;
    }
}
