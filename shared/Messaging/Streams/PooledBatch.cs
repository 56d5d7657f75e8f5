using NATS.Client.Core;

namespace Beacon.Messaging.Streams;

/// <summary>
/// Messages of one hand-over to an <see cref="ILiveStateHandler"/>, their payloads in NATS.Net's pooled buffers;
/// <see cref="Clear"/> gives the buffers back. A payload is only valid until then.
/// </summary>
internal sealed class PooledBatch(int capacity)
{
    private readonly List<StateMessage> _messages = new(capacity);
    private readonly List<NatsMemoryOwner<byte>> _owners = new(capacity);

    public IReadOnlyList<StateMessage> Messages => _messages;

    public int Count => _messages.Count;

    /// <param name="streamSequence">The message's stream sequence (≥ 1), or 0 for a live message.</param>
    public void Add(string subject, NatsMemoryOwner<byte> payload, ulong streamSequence)
    {
        _owners.Add(payload);
        _messages.Add(new StateMessage(subject, payload.Memory, streamSequence));
    }

    public void Clear()
    {
        foreach (var owner in _owners)
        {
            owner.Dispose();
        }

        _owners.Clear();
        _messages.Clear();
    }
}
