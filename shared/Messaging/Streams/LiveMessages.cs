using System.Buffers;

namespace Beacon.Messaging.Streams;

/// <summary>
/// Live messages of one take of a <see cref="LiveStateSubscription"/>: subjects, and payloads copied into chunks of the
/// subscription's <see cref="ChunkShelf"/> (below the large-object threshold, about twenty 700-byte allocation messages
/// each), valid until <see cref="Clear"/>.
/// </summary>
internal sealed class LiveMessages(ChunkShelf shelf)
{
    private readonly List<(string Subject, byte[] Chunk, int Offset, int Length)> _entries = [];
    private readonly List<byte[]> _chunks = [];
    private const int ChunkSize = ChunkShelf.ChunkSize;
    private const int KeptEntries = 128;

    private int _used = ChunkSize;

    public int Count => _entries.Count;

    public string Subject(int index) => _entries[index].Subject;

    public ReadOnlyMemory<byte> Payload(int index)
    {
        var (_, chunk, offset, length) = _entries[index];
        return chunk.AsMemory(offset, length);
    }

    public void Add(string subject, ReadOnlySequence<byte> payload)
    {
        var length = checked((int)payload.Length);
        byte[] chunk;
        var offset = 0;
        if (length > ChunkSize / 2)
        {
            // A large message gets a pooled array of its own; the next small one opens a new chunk.
            chunk = ArrayPool<byte>.Shared.Rent(length);
            _chunks.Add(chunk);
            _used = ChunkSize;
        }
        else
        {
            if (_used + length > ChunkSize)
            {
                _chunks.Add(shelf.Take());
                _used = 0;
            }

            chunk = _chunks[^1];
            offset = _used;
            _used += length;
        }

        payload.CopyTo(chunk.AsSpan(offset, length));
        _entries.Add((subject, chunk, offset, length));
    }

    /// <summary>Puts the chunks back on the shelf; the payloads handed out are invalid from here on.</summary>
    public void Clear()
    {
        foreach (var chunk in _chunks)
        {
            shelf.Put(chunk);
        }

        _chunks.Clear();
        _entries.Clear();
        _used = ChunkSize;
        if (_entries.Capacity > KeptEntries)
        {
            // After a burst: an agent keeps no list sized for it (the replica's memory per Service counts this).
            _entries.Capacity = KeptEntries;
        }
    }
}
