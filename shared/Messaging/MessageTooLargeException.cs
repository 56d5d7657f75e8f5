namespace Beacon.Messaging;

/// <summary>A publish was refused because the payload is over the configured or server size limit.</summary>
public sealed class MessageTooLargeException : ArgumentException
{
    public MessageTooLargeException()
    {
    }

    public MessageTooLargeException(string message)
        : base(message)
    {
    }

    public MessageTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
