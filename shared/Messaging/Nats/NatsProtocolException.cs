namespace Beacon.Messaging.Nats;

/// <summary>The server sent something that is not the NATS protocol, or refused the connection (-ERR).</summary>
public sealed class NatsProtocolException : Exception
{
    public NatsProtocolException()
    {
    }

    public NatsProtocolException(string message)
        : base(message)
    {
    }

    public NatsProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
