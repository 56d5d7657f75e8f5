namespace Beacon.Messaging;

/// <summary>One delivered message. <see cref="Payload"/> is owned by the receiver.</summary>
public sealed record BusMessage(string Subject, string? ReplyTo, ReadOnlyMemory<byte> Payload);
