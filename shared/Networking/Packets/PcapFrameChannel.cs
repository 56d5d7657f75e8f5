using System.Net.Sockets;
using Beacon.Networking.Netlink;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Beacon.Networking.Packets;

/// <summary>
/// Whole Ethernet frames in and out of one interface through SharpPcap (libpcap): immediate mode, so a frame is
/// handed over as soon as it arrives rather than when a buffer block fills, and a kernel BPF filter compiled by
/// libpcap, so only the frames the caller asks for ever leave the kernel.
/// </summary>
public sealed class PcapFrameChannel : IFrameChannel
{
    /// <summary>ARP (requests and replies; the responder tells them apart).</summary>
    public const string Arp = "arp";

    /// <summary>ICMPv6 Neighbor Solicitations without extension headers.</summary>
    public const string NeighborSolicitations = "icmp6 and ip6[40] == 135";

    /// <summary>Longest frame captured whole: longer ones arrive cut, still longer than any valid untagged frame.</summary>
    private const int SnapLength = 1600;

    /// <summary>
    /// A burst of requests (a switch flooding ARP after a failover) must queue in the ring, not drop. libpcap maps the
    /// whole ring at open and it stays resident, per channel (the l2 Announcer has two, ARP and NS; the NodeAgent one
    /// for takeover probes): 256 KiB holds at least 128 frames of the full snap length (about 2 per 4 KiB page) and over a
    /// thousand minimum-size ARP/NS frames (libpcap's TPACKET_V3 packs them), while the reader drains it within
    /// microseconds of each wake; the scale benchmark's 1,000-address ARP rounds are all answered. 2 MiB made the NativeAOT
    /// l2 Announcer 42.5 MiB against the 40 MiB target, 512 KiB 40.1 MiB (issue #15; docs/benchmarks.md "Footprint").
    /// </summary>
    private const int RingBufferBytes = 256 * 1024;

    /// <summary>
    /// A send-only channel receives nothing, but libpcap maps its whole ring into the process at open (it counts as
    /// resident memory: 2.4 MiB of a NativeAOT NodeAgent's 45 MiB, which opens one for gratuitous ARP); the smallest ring
    /// libpcap accepts for the snap length is enough.
    /// </summary>
    private const int SendOnlyRingBufferBytes = 64 * 1024;

    private readonly SelectableDevice _device;
    private bool _nonBlocking;

    private PcapFrameChannel(SelectableDevice device, int interfaceIndex, MacAddress mac)
    {
        _device = device;
        InterfaceIndex = interfaceIndex;
        Mac = mac;
    }

    public int InterfaceIndex { get; }

    /// <summary>The interface's own Ethernet address.</summary>
    public MacAddress Mac { get; }

    /// <summary>A kernel filter (pcap-filter(7)) that matches no frame: a send-only channel, or a capture with nothing to wait for.</summary>
    public const string NoFrames = "less 1";

    /// <summary>
    /// Opens <paramref name="interfaceName"/> (inside <paramref name="namespaceName"/> when given). With a
    /// <paramref name="filter"/> (pcap-filter(7) syntax) the channel receives matching frames this host did not send
    /// itself; without one it is for sending only and receives nothing.
    /// </summary>
    public static PcapFrameChannel Open(string interfaceName, string? filter, string? namespaceName = null) =>
        Open(interfaceName, filter, promiscuous: filter is not null, namespaceName);

    /// <summary>
    /// As <see cref="Open(string, string?, string?)"/>, choosing promiscuous mode: a capture that stays open on a node's
    /// main interface and only needs broadcast and all-nodes frames (the NodeAgent's conflict watch) leaves the NIC's
    /// unicast and multicast filtering on.
    /// </summary>
    public static PcapFrameChannel Open(string interfaceName, string? filter, bool promiscuous, string? namespaceName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        return namespaceName is null ? OpenHere(interfaceName, filter, promiscuous) : NetworkNamespaceScope.Run(namespaceName, () => OpenHere(interfaceName, filter, promiscuous));
    }

    private static PcapFrameChannel OpenHere(string interfaceName, string? filter, bool promiscuous)
    {
        // A fresh list, not the cached Instance: it is read in the calling thread's network namespace.
        var listed = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == interfaceName)
            ?? throw new InvalidOperationException($"no interface named {interfaceName} (libpcap lists {string.Join(", ", LibPcapLiveDeviceList.New().Select(d => d.Name))})");
        var device = new SelectableDevice(listed.Interface!);
        var mac = device.MacAddress is { } address && address.GetAddressBytes().Length == MacAddress.Length
            ? MacAddress.From(address)
            : throw new InvalidOperationException($"{interfaceName} has no Ethernet address");
        int interfaceIndex;
        using (var netlink = RouteNetlinkClient.Open())
        {
            interfaceIndex = netlink.GetRequiredLink(interfaceName).Index;
        }

        var configuration = new DeviceConfiguration
        {
            // Promiscuous: solicited-node multicast groups of addresses the node does not hold are otherwise dropped
            // by NICs that filter multicast. The kernel filter keeps everything else out of the process.
            Mode = promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
            Immediate = true,
            Snaplen = SnapLength,
            BufferSize = filter is null ? SendOnlyRingBufferBytes : RingBufferBytes,
            ReadTimeout = 200,
        };
        string? failed = null;
        configuration.ConfigurationFailed += (_, e) => failed = $"{e.Property}: {e.Message}";
        try
        {
            device.Open(configuration);
            if (failed is not null)
            {
                throw new InvalidOperationException($"libpcap on {interfaceName} refused {failed}");
            }

            // Our own transmissions are captured too (libpcap sees both directions): keep them out in the kernel.
            device.Filter = filter is null ? NoFrames : ReceivedFrames(filter, mac);
            return new PcapFrameChannel(device, interfaceIndex, mac);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    public int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        // SharpPcap polls the descriptor for up to 500 ms before reading, so the caller looks at its stop token
        // at least twice a second; the timeout is not finer than that.
        var status = _device.GetNextPacket(out var capture);
        switch (status)
        {
            case GetPacketStatus.PacketRead:
                var length = Math.Min(capture.Data.Length, buffer.Length);
                capture.Data[..length].CopyTo(buffer);
                return length;
            case GetPacketStatus.ReadTimeout:
                return 0;
            default:
                throw ToSocketException(_device.LastError);
        }
    }

    /// <summary>The capture's file descriptor, for <see cref="FrameWaiter"/>.</summary>
    public int Descriptor => _device.Descriptor;

    /// <summary>
    /// The next frame already captured, without waiting (0: none now). For a caller that waits on <see cref="Descriptor"/>
    /// itself (<see cref="FrameWaiter"/>) instead of through <see cref="Receive"/>, whose read waits up to 500 ms.
    /// </summary>
    public int ReceiveNow(Span<byte> buffer)
    {
        if (!_nonBlocking)
        {
            _device.NonBlockingMode = true;
            _nonBlocking = true;
        }

        IntPtr header = IntPtr.Zero, data = IntPtr.Zero;
        var status = _device.GetNextPacketPointers(ref header, ref data);
        if (status == 0)
        {
            return 0;
        }

        if (status < 0)
        {
            throw ToSocketException(_device.LastError);
        }

        unsafe
        {
            var captured = (int)PcapHeader.FromPointer(header, _device.TimestampResolution).CaptureLength;
            var length = Math.Min(captured, buffer.Length);
            new ReadOnlySpan<byte>(data.ToPointer(), length).CopyTo(buffer);
            return length;
        }
    }

    /// <summary>Replaces the kernel filter (pcap-filter(7) syntax); our own transmissions stay out as at open.</summary>
    public void ChangeFilter(string filter)
    {
        ArgumentException.ThrowIfNullOrEmpty(filter);
        try
        {
            _device.Filter = ReceivedFrames(filter, Mac);
        }
        catch (PcapException e)
        {
            throw new InvalidOperationException($"libpcap refused the filter: {e.Message}", e);
        }
    }

    /// <summary>The kernel filter for <paramref name="filter"/>'s frames that this host did not send itself.</summary>
    private static string ReceivedFrames(string filter, MacAddress mac) => $"({filter}) and not ether src {mac}";

    public void Send(ReadOnlySpan<byte> frame)
    {
        try
        {
            _device.SendPacket(frame);
        }
        catch (PcapException e)
        {
            throw ToSocketException(e.Message);
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Send(frame.Span); // one send(2) on a packet socket: it does not block for long
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _device.Dispose();

    /// <summary>SharpPcap's live device with the descriptor it polls made visible (it keeps it to itself).</summary>
    private sealed class SelectableDevice(PcapInterface pcapInterface) : LibPcapLiveDevice(pcapInterface)
    {
        public int Descriptor => FileDescriptor;
    }

    /// <summary>libpcap reports errors as text; the responder distinguishes "interface went down" from the rest.</summary>
    private static SocketException ToSocketException(string message) =>
        new((int)(message.Contains("went down", StringComparison.OrdinalIgnoreCase) || message.Contains("not up", StringComparison.OrdinalIgnoreCase)
            ? SocketError.NetworkDown
            : SocketError.SocketError), message);
}
