namespace Beacon.Messaging;

/// <summary>The bus is not connected (or the connection dropped) so the operation could not complete.</summary>
public sealed class EventBusUnavailableException : Exception
{
    public EventBusUnavailableException()
    {
    }

    public EventBusUnavailableException(string message)
        : base(message)
    {
    }

    public EventBusUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
