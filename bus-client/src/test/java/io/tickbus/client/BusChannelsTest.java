package io.tickbus.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusChannelsTest
{
    @Test
    void buildersProduceChannelsThatValidate()
    {
        assertEquals("aeron:ipc", BusChannels.validate(BusChannels.IPC));
        assertEquals("aeron:udp?endpoint=127.0.0.1:40001", BusChannels.validate(BusChannels.udp("127.0.0.1", 40001)));
        final String multicast = BusChannels.multicast("239.255.1.1", 40002, "127.0.0.1", 0);
        assertTrue(multicast.contains("ttl=0") && multicast.contains("interface=127.0.0.1"), multicast);
        BusChannels.validate(multicast);
    }

    @Test
    void badChannelsAreRejectedWithTheReason()
    {
        assertTrue(reason("aeron:udp?ttI=0|endpoint=127.0.0.1:1").contains("unknown parameter 'ttI'"));
        assertTrue(reason("aeron:udp?endpoint=127.0.0.1").contains("port"));
        assertTrue(reason("aeron:udp?endpoint=h:70000").contains("out of range"));
        assertTrue(reason("aeron:tcp?endpoint=h:1").contains("invalid channel"));
        assertTrue(reason("udp://127.0.0.1:1").contains("invalid channel"));
        assertTrue(reason("aeron:udp").contains("endpoint"));
    }

    private static String reason(final String channel)
    {
        return assertThrows(IllegalArgumentException.class, () -> BusChannels.validate(channel)).getMessage();
    }
}
