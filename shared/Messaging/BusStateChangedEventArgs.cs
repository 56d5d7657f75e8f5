namespace Beacon.Messaging;

/// <param name="Server">The server URL concerned.</param>
/// <param name="Error">Why the connection dropped, for Disconnected.</param>
public sealed class BusStateChangedEventArgs(BusStateChange change, BusConnectionState state, string? server, string? error) : EventArgs
{
    public BusStateChange Change { get; } = change;

    public BusConnectionState State { get; } = state;

    public string? Server { get; } = server;

    public string? Error { get; } = error;
}
