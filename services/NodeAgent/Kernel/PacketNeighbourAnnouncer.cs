using System.Net;
using Beacon.NodeAgent.Ports;
using Beacon.Networking.L2;

namespace Beacon.NodeAgent.Kernel;

/// <summary>
/// Gratuitous ARP / unsolicited NA injected through libpcap (SharpPcap), one announcer per interface, kept open. A burst
/// whose send fails is sent again at once on a freshly opened announcer: a packet socket that lived through its
/// interface going down reports that (ENETDOWN) on its next send even when the link is up again, and the interface may
/// have been recreated with a new index. Without the second try the announcement of an address taken back after a link
/// flap was lost, and clients kept the previous owner's MAC until their own neighbour probing gave up (5 s DELAY plus
/// 3 unicast probes: 8-9 s).
/// </summary>
public sealed class PacketNeighbourAnnouncer(AnnouncementOptions options, string? namespaceName = null) : INeighbourAnnouncer, IDisposable
{
    private readonly Dictionary<string, AddressAnnouncer> _open = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private AnnouncementOptions _options = options;

    /// <summary>Count and interval of each burst from now on (an LBNodeAgent's garpConfig may change them at run time).</summary>
    public AnnouncementOptions Options
    {
        get => Volatile.Read(ref _options);
        set => Volatile.Write(ref _options, value ?? throw new ArgumentNullException(nameof(value)));
    }

    public async Task AnnounceAsync(string interfaceName, IPAddress address, CancellationToken cancellationToken)
    {
        var options = Options;
        if (options.Count == 0)
        {
            return;
        }

        var announcer = Get(interfaceName);
        try
        {
            await announcer.AnnounceAsync(address, options, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (System.Net.Sockets.SocketException)
        {
            Forget(interfaceName, announcer);
        }

        // A second failure (the link really is down, the interface is gone) goes to the caller, which logs it.
        announcer = Get(interfaceName);
        try
        {
            await announcer.AnnounceAsync(address, options, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Net.Sockets.SocketException)
        {
            Forget(interfaceName, announcer);
            throw;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var announcer in _open.Values)
            {
                announcer.Dispose();
            }

            _open.Clear();
        }
    }

    private AddressAnnouncer Get(string interfaceName)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(interfaceName, out var announcer))
            {
                announcer = AddressAnnouncer.Open(interfaceName, namespaceName);
                _open[interfaceName] = announcer;
            }

            return announcer;
        }
    }

    private void Forget(string interfaceName, AddressAnnouncer announcer)
    {
        lock (_gate)
        {
            if (_open.TryGetValue(interfaceName, out var current) && ReferenceEquals(current, announcer))
            {
                _open.Remove(interfaceName);
                announcer.Dispose();
            }
        }
    }
}
