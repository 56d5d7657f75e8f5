namespace Beacon.Messaging.Nats;

/// <summary>The fields of the server's INFO we use; the rest are ignored.</summary>
internal sealed record NatsServerInfo(
    string? ServerId,
    string? Version,
    long MaxPayload,
    bool TlsRequired,
    bool AuthRequired);
