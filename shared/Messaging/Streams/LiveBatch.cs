using System.Collections;

namespace Beacon.Messaging.Streams;

/// <summary>
/// Messages <c>[start, start + count)</c> of one take of a <see cref="LiveStateSubscription"/> as the
/// <see cref="StateMessage"/>s a handler is handed, made on access: nothing per message is copied or kept. (A list of
/// them, reused from take to take, grew to a thousand entries in a burst and kept its 32 KiB array afterwards: about
/// 1 % of a replica's memory for 10,000 Services, docs/benchmarks.md, bus.)
/// </summary>
internal sealed class LiveBatch : IReadOnlyList<StateMessage>
{
    private readonly LiveMessages _messages;
    private readonly int _start;

    public LiveBatch(LiveMessages messages, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, messages.Count, nameof(count));
        _messages = messages;
        _start = start;
        Count = count;
    }

    public int Count { get; }

    public StateMessage this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return new StateMessage(_messages.Subject(_start + index), _messages.Payload(_start + index), 0);
        }
    }

    public IEnumerator<StateMessage> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
