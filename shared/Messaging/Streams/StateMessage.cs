namespace Beacon.Messaging.Streams;

/// <summary>A message a <see cref="CatchUpThenLiveReader"/> hands over: read from the stream (its sequence, ≥ 1) or live (0).</summary>
public readonly record struct StateMessage(BusMessage Message, ulong StreamSequence)
{
    public bool IsLive => StreamSequence == 0;
}
