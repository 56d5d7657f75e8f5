namespace Beacon.DaprSubscriber;

/// <summary>
/// The body Dapr expects back from a subscription endpoint (HTTP 200): SUCCESS acknowledges the message, RETRY asks
/// for redelivery, DROP discards it (Dapr logs a warning) so a message that can never be used does not loop.
/// </summary>
public sealed record DaprDelivery(string Status)
{
    public static readonly DaprDelivery Success = new("SUCCESS");
    public static readonly DaprDelivery Drop = new("DROP");
}
