package io.tickbus.driver;

/**
 * Thrown at launch when the chosen driver directory belongs to a media driver that is still alive.
 */
public final class DriverDirectoryInUseException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param dir the directory in use.
     */
    public DriverDirectoryInUseException(final String dir)
    {
        super("driver directory " + dir + " is in use by a live media driver; stop it or choose another --dir");
    }
}
