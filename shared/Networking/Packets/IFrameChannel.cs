namespace Beacon.Networking.Packets;

/// <summary>Sends and receives whole Ethernet frames on one interface (a libpcap handle through SharpPcap, or a fake).</summary>
public interface IFrameChannel : IDisposable
{
    /// <summary>Index of the interface the channel is bound to.</summary>
    int InterfaceIndex { get; }

    ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>
    /// Blocking receive for a dedicated thread (no thread-pool hop: the lowest reply latency); returns 0 when
    /// nothing arrived within <paramref name="timeout"/>.
    /// </summary>
    int Receive(Span<byte> buffer, TimeSpan timeout);

    /// <summary>Blocking send of one frame.</summary>
    void Send(ReadOnlySpan<byte> frame);
}
