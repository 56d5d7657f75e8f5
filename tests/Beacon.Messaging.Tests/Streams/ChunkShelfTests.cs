using Beacon.Messaging.Streams;

namespace Beacon.Messaging.Tests.Streams;

/// <summary>A live subscription reuses its payload chunks during a burst and holds none once they are released.</summary>
public sealed class ChunkShelfTests
{
    [Fact]
    public void A_chunk_put_back_is_reused_and_release_leaves_none_held()
    {
        var shelf = new ChunkShelf();
        var first = shelf.Take();
        first.Length.Should().Be(ChunkShelf.ChunkSize);
        shelf.Put(first);
        shelf.Count.Should().Be(1);
        shelf.Take().Should().BeSameAs(first);

        shelf.Put(first);
        shelf.Put(new byte[ChunkShelf.ChunkSize * 4]); // a large message's own array is not kept
        shelf.Count.Should().Be(1);
        shelf.Release();
        shelf.Count.Should().Be(0);
    }

    [Fact]
    public void Released_chunks_are_not_kept_anywhere_in_the_process()
    {
        // Given back to the shared array pool, a burst's chunks stayed there after it (247 chunks, 3.9 MiB, in the bus
        // benchmark's replicas' process): released, nothing may hold them, so a collection reclaims them.
        var shelf = new ChunkShelf();
        var released = TakeAndPutBack(shelf, 3);
        shelf.Release();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        released.Should().OnlyContain(chunk => !chunk.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static List<WeakReference> TakeAndPutBack(ChunkShelf shelf, int count)
    {
        var chunks = Enumerable.Range(0, count).Select(_ => shelf.Take()).ToList();
        foreach (var chunk in chunks)
        {
            shelf.Put(chunk);
        }

        return chunks.Select(c => new WeakReference(c)).ToList();
    }

    [Fact]
    public void Payloads_copied_into_chunks_read_back_intact_across_chunks_and_the_chunks_return_on_clear()
    {
        var shelf = new ChunkShelf();
        var messages = new LiveMessages(shelf);
        var payloads = Enumerable.Range(0, 100).Select(i => Enumerable.Repeat((byte)i, 700 + i).ToArray()).ToList();
        payloads.Add(new byte[ChunkShelf.ChunkSize]); // larger than half a chunk: an array of its own
        foreach (var (payload, i) in payloads.Select((p, i) => (p, i)))
        {
            messages.Add($"s.{i}", new System.Buffers.ReadOnlySequence<byte>(payload));
        }

        messages.Count.Should().Be(payloads.Count);
        for (var i = 0; i < payloads.Count; i++)
        {
            messages.Subject(i).Should().Be($"s.{i}");
            messages.Payload(i).ToArray().Should().Equal(payloads[i]);
        }

        messages.Clear();
        messages.Count.Should().Be(0);
        shelf.Count.Should().BeGreaterThan(1, "the 70 KB of small payloads took several chunks, all back on the shelf");
    }
}
