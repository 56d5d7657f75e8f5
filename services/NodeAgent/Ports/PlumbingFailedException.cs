namespace Beacon.NodeAgent.Ports;

/// <summary>The kernel refused an address change or listing; the reconciler counts it and retries on the next pass.</summary>
public sealed class PlumbingFailedException : Exception
{
    public PlumbingFailedException()
    {
    }

    public PlumbingFailedException(string message)
        : base(message)
    {
    }

    public PlumbingFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
