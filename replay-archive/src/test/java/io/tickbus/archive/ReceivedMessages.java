package io.tickbus.archive;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.tickbus.client.CommonBlock;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Test support: what a subscriber received, message by message (CRC32 of the bytes, source and global sequence, exchange
 * time, end position), and the end-of-replay marker, decoded with the generated decoder.
 */
final class ReceivedMessages implements FragmentHandler
{
    final List<Long> checksums = new ArrayList<>();
    final List<Long> sourceSeqs = new ArrayList<>();
    final List<Long> globalSeqs = new ArrayList<>();
    final List<Long> exchangeTimes = new ArrayList<>();
    final List<Long> positions = new ArrayList<>();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final EndOfSessionDecoder endOfSession = new EndOfSessionDecoder();
    volatile boolean endOfReplay;
    volatile long markerMessageCount = -1;
    volatile int markerTradingDate;
    volatile int count;

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header h)
    {
        if (CommonBlock.templateId(buffer, offset) == EndOfSessionDecoder.TEMPLATE_ID)
        {
            endOfSession.wrapAndApplyHeader(buffer, offset, header);
            if (endOfSession.endOfReplay() == 1)
            {
                markerMessageCount = endOfSession.messageCount();
                markerTradingDate = endOfSession.tradingDate();
                endOfReplay = true;
                return;
            }
        }
        checksums.add(MarketDataGenerator.crc(buffer, offset, length));
        sourceSeqs.add(CommonBlock.sourceSeq(buffer, offset));
        globalSeqs.add(CommonBlock.globalSeq(buffer, offset));
        exchangeTimes.add(CommonBlock.exchangeTime(buffer, offset));
        positions.add(h.position());
        count = checksums.size();
    }
}
