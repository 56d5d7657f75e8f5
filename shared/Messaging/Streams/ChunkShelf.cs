using System.Buffers;

namespace Beacon.Messaging.Streams;

/// <summary>
/// The payload chunks one <see cref="LiveStateSubscription"/> reuses while a burst lasts, and gives back to the shared
/// pool once it is over (<see cref="Release"/>): an idle replica keeps none. Without it every chunk went back to
/// <see cref="ArrayPool{T}.Shared"/> after each hand-over and was rented again for the next; with 100 replicas in one
/// process (the <c>bus</c> benchmark) the shared pool could not hold that many, so rents allocated new 16 KiB chunks
/// (up to one per twenty deliveries; its profile showed threads held for collections inside those rents).
/// </summary>
internal sealed class ChunkShelf
{
    public const int ChunkSize = 16 * 1024;

    private readonly Lock _gate = new();
    private readonly Stack<byte[]> _chunks = new();

    /// <summary>Chunks on the shelf (not in use).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _chunks.Count;
            }
        }
    }

    /// <summary>A chunk of <see cref="ChunkSize"/> bytes or more, from the shelf when it has one.</summary>
    public byte[] Take()
    {
        lock (_gate)
        {
            if (_chunks.TryPop(out var chunk))
            {
                return chunk;
            }
        }

        return ArrayPool<byte>.Shared.Rent(ChunkSize);
    }

    /// <summary>Puts a chunk of <see cref="Take"/> back for reuse; any other array goes back to the shared pool.</summary>
    public void Put(byte[] chunk)
    {
        if (chunk.Length != ChunkSize)
        {
            ArrayPool<byte>.Shared.Return(chunk);
            return;
        }

        lock (_gate)
        {
            _chunks.Push(chunk);
        }
    }

    /// <summary>Gives every chunk on the shelf back to the shared pool.</summary>
    public void Release()
    {
        lock (_gate)
        {
            while (_chunks.TryPop(out var chunk))
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            _chunks.TrimExcess();
        }
    }
}
