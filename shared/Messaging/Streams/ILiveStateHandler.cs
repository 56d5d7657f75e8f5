using Beacon.Messaging;

namespace Beacon.Messaging.Streams;

/// <summary>What a <see cref="CatchUpThenLiveReader"/> hands over, in this order per round.</summary>
public interface ILiveStateHandler
{
    /// <summary>A new round begins: a full read of the stream follows, then the live messages buffered meanwhile.</summary>
    void RoundStarted();

    /// <summary>
    /// Messages in the order they were read, as many as were waiting (up to a thousand): applying them together costs
    /// one new immutable view instead of one per message. The payloads are pooled buffers, valid only until the returned
    /// task completes: keep nothing that points into them.
    /// </summary>
    ValueTask HandleAsync(IReadOnlyList<StateMessage> batch, CancellationToken cancellationToken);

    /// <summary>Everything the stream held at the round's start has been handed over.</summary>
    void CaughtUp();

    /// <summary>The live messages buffered during the catch-up have been handed over; what follows is newer.</summary>
    void SeamClosed();
}
