package io.tickbus.tools;

import picocli.CommandLine;

/**
 * The {@code --receive-time capture|read} option of {@code tickbus feed}: which time a message read from a file is
 * stamped with as its receive time, the value of
 * {@link io.tickbus.feed.FeedHandlerAgent.Context#stampCaptureTime(boolean)}. Live (UDP) it is always the socket's
 * receive time. Anything but the two words is a usage error ({@link Converter}).
 */
enum ReceiveTime
{
    /** The capture's packet time where the file has one (a pcap); a day file has none: the time it was read. */
    CAPTURE,
    /** The time the handler read the packet, also from a capture (the handler's own receive -> publish latency). */
    READ;

    /** @return the value for {@link io.tickbus.feed.FeedHandlerAgent.Context#stampCaptureTime(boolean)}. */
    boolean stampsCaptureTime()
    {
        return this == CAPTURE;
    }

    /** Reads the option's lower-case words. Stateless. */
    static final class Converter implements CommandLine.ITypeConverter<ReceiveTime>
    {
        public ReceiveTime convert(final String value)
        {
            return switch (value)
            {
                case "capture" -> CAPTURE;
                case "read" -> READ;
                default -> throw new CommandLine.TypeConversionException("must be capture (the capture's packet " +
                    "time) or read (the time the handler read it): '" + value + "'");
            };
        }
    }
}
