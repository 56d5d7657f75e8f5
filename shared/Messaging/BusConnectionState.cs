namespace Beacon.Messaging;

public enum BusConnectionState
{
    /// <summary>Not connected yet (never been).</summary>
    Connecting,

    Connected,

    /// <summary>Was connected; retrying. Subscriptions are kept and re-sent on reconnect.</summary>
    Disconnected,

    /// <summary>Disposed.</summary>
    Closed,
}
