namespace Beacon.Messaging.Streams;

/// <summary>
/// A message a <see cref="CatchUpThenLiveReader"/> hands over: read from the stream (its sequence, ≥ 1) or live (0).
/// Subject and payload are held as they are, with no <see cref="BusMessage"/> made per message (a replica following
/// 10,000 changes receives every one of them).
/// </summary>
public readonly record struct StateMessage(string Subject, ReadOnlyMemory<byte> Payload, ulong StreamSequence)
{
    public StateMessage(BusMessage message, ulong streamSequence)
        : this(message?.Subject ?? throw new ArgumentNullException(nameof(message)), message.Payload, streamSequence)
    {
    }

    public bool IsLive => StreamSequence == 0;

    /// <summary>The message as a <see cref="BusMessage"/> (made on each call).</summary>
    public BusMessage Message => new(Subject, null, Payload);
}
