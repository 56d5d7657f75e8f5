using System.Globalization;

namespace Beacon.TestSupport.Netns;

/// <summary>
/// A disposable set of namespaces and links for one test. Names are unique per process and per lab, so tests
/// can run in parallel; disposing removes everything the lab created, in reverse order.
/// </summary>
/// <example>
/// await using var lab = await NetLab.CreateAsync();
/// var lan = await lab.AddSegmentAsync("lan");                 // a bridge in its own namespace
/// var node1 = await lab.AddHostAsync("node1");
/// await lan.AttachAsync(node1, "eth0", "198.18.10.11/24", "fd00:beac:10::11/64");
/// </example>
public sealed class NetLab : IAsyncDisposable
{
    private static int s_counter;
    private readonly List<IAsyncDisposable> _owned = [];
    private int _links;

    private NetLab(string id) => Id = id;

    /// <summary>Unique id of this lab, part of every namespace name (<c>bcn&lt;pid&gt;-&lt;n&gt;</c>).</summary>
    public string Id { get; }

    public static async Task<NetLab> CreateAsync()
    {
        await NetnsJanitor.RemoveStaleAsync();
        var n = Interlocked.Increment(ref s_counter);
        return new NetLab(string.Create(CultureInfo.InvariantCulture, $"{NetnsJanitor.Prefix}{Environment.ProcessId}-{n}"));
    }

    /// <summary>A host: its own namespace, loopback up.</summary>
    public async Task<NetworkNamespace> AddHostAsync(string role)
    {
        var ns = await NetworkNamespace.CreateAsync($"{Id}-{role}");
        _owned.Add(ns);
        return ns;
    }

    /// <summary>A layer-2 segment: a Linux bridge inside a namespace of its own, so the root namespace is untouched.</summary>
    public async Task<LanSegment> AddSegmentAsync(string role)
    {
        var ns = await AddHostAsync("sw-" + role);
        await ns.IpAsync("link", "add", "br0", "type", "bridge");
        // No STP delay, no multicast snooping surprises: frames flow as soon as a port is attached.
        await ns.IpAsync("link", "set", "br0", "type", "bridge", "forward_delay", "0", "stp_state", "0", "mcast_snooping", "0");
        await ns.IpAsync("link", "set", "br0", "up");
        return new LanSegment(this, ns);
    }

    /// <summary>A point-to-point link between two hosts; interface names are chosen by the caller.</summary>
    public async Task LinkAsync(NetworkNamespace a, string aInterface, NetworkNamespace b, string bInterface)
    {
        await HostCommand.RunCheckedAsync("ip", "link", "add", aInterface, "netns", a.Name, "type", "veth", "peer", "name", bInterface, "netns", b.Name);
        await a.IpAsync("link", "set", aInterface, "up");
        await b.IpAsync("link", "set", bInterface, "up");
    }

    internal int NextLinkNumber() => Interlocked.Increment(ref _links);

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            try
            {
                await _owned[i].DisposeAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                // Keep tearing down the rest; a leftover namespace is removed by the janitor next time.
            }
        }

        _owned.Clear();
    }
}
