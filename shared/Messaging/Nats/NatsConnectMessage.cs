namespace Beacon.Messaging.Nats;

/// <summary>The CONNECT options sent after INFO (and after the TLS handshake when there is one).</summary>
internal sealed record NatsConnectMessage(
    bool Verbose,
    bool Pedantic,
    bool TlsRequired,
    string? Name,
    string Lang,
    string Version,
    int Protocol,
    bool Echo,
    string? User,
    string? Pass,
    string? AuthToken);
