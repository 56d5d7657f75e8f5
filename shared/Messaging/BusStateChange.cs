namespace Beacon.Messaging;

public enum BusStateChange
{
    Connected,
    Disconnected,
    Reconnected,
    Closed,
}
