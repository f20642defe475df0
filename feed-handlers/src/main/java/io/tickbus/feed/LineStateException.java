package io.tickbus.feed;

/**
 * Reports (to an {@link org.agrona.ErrorHandler}) that an A/B line went down (silent while another line has
 * traffic) or came back. Never thrown: the feed goes on with the lines that have traffic.
 */
public final class LineStateException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message which line, what happened, for how long.
     */
    public LineStateException(final String message)
    {
        super(message, null, false, false);
    }
}
