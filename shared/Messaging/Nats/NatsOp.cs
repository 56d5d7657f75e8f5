namespace Beacon.Messaging.Nats;

/// <summary>Server-to-client protocol operations.</summary>
internal enum NatsOp
{
    Info,
    Msg,
    Ping,
    Pong,
    Ok,
    Err,
}
