namespace Beacon.Messaging.Nats;

/// <summary>One parsed server operation. For MSG: subject, sid, reply and payload; for INFO/-ERR: the argument text.</summary>
internal sealed record NatsFrame(NatsOp Op, string Text, string Subject = "", long Sid = 0, string? ReplyTo = null, byte[]? Payload = null);
