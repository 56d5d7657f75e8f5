namespace Beacon.Networking.Packets;

/// <summary>Sends and receives whole Ethernet frames on one interface (an AF_PACKET socket, or a fake in tests).</summary>
public interface IFrameChannel : IDisposable
{
    /// <summary>Index of the interface the channel is bound to.</summary>
    int InterfaceIndex { get; }

    /// <summary>Receives one frame into <paramref name="buffer"/>; returns its length (longer frames are cut).</summary>
    ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>
    /// Blocking receive for a dedicated thread (no thread-pool hop: the lowest reply latency); returns 0 when
    /// nothing arrived within <paramref name="timeout"/>.
    /// </summary>
    int Receive(Span<byte> buffer, TimeSpan timeout);

    /// <summary>Blocking send of one frame.</summary>
    void Send(ReadOnlySpan<byte> frame);
}
