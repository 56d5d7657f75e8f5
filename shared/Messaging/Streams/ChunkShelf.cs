using System.Buffers;

namespace Beacon.Messaging.Streams;

/// <summary>
/// The payload chunks one <see cref="LiveStateSubscription"/> reuses while a burst lasts, and lets go of once it is over
/// (<see cref="Release"/>): an idle replica keeps none. Without it every chunk went back to
/// <see cref="ArrayPool{T}.Shared"/> after each hand-over and was rented again for the next; with 100 replicas in one
/// process (the <c>bus</c> benchmark) the shared pool could not hold that many, so rents allocated new 16 KiB chunks
/// (up to one per twenty deliveries; its profile showed threads held for collections inside those rents).
/// <para>
/// The chunks are the shelf's own, not the shared pool's: a replica that fell behind in a burst buffers most of it
/// (hundreds of chunks), and given back to the shared pool after the burst they stayed there, unused (measured: 247
/// chunks, 3.9 MiB, in the bus benchmark's replicas' process; in an agent's process, as many as the pool keeps per
/// size, until it trims them). Released, they are garbage the next collection reclaims.
/// </para>
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

    /// <summary>A chunk of <see cref="ChunkSize"/> bytes, from the shelf when it has one.</summary>
    public byte[] Take()
    {
        lock (_gate)
        {
            if (_chunks.TryPop(out var chunk))
            {
                return chunk;
            }
        }

        return GC.AllocateUninitializedArray<byte>(ChunkSize);
    }

    /// <summary>Puts a chunk of <see cref="Take"/> back for reuse; any other array (a large message's) goes back to the shared pool.</summary>
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

    /// <summary>Lets go of every chunk on the shelf (the garbage collector reclaims them).</summary>
    public void Release()
    {
        lock (_gate)
        {
            _chunks.Clear();
            _chunks.TrimExcess();
        }
    }
}
