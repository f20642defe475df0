package io.tickbus.client;

/**
 * Thrown by a {@link BusPublisher} whose {@link BackPressurePolicy} is {@code FAIL} when a message could not be
 * published within the bound, or when the publication is closed.
 */
public final class PublicationFailedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message the reason, naming the channel and stream.
     */
    public PublicationFailedException(final String message)
    {
        super(message);
    }
}
