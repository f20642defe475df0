package io.tickbus.feed;

/**
 * Reports (to an {@link org.agrona.ErrorHandler}) a malformed venue packet or a sequence gap that was counted and
 * skipped. Never thrown on the hot path: the handler keeps going.
 */
public final class MalformedInputException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong and where (packet number, file offset).
     */
    public MalformedInputException(final String message)
    {
        super(message, null, false, false);
    }
}
