using System.Globalization;
using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Processes;

/// <summary>
/// A network namespace that looks like a small node to a per-node service: an "eth0" with 192.0.2.2/24 and
/// 2001:db8::2/64 and a default route, wired to a veth peer inside the same namespace, so nothing the service does
/// (plumbing, ARP, kube-lb0) can reach the host's network. Disposing kills what runs inside and deletes it.
/// </summary>
public sealed class IsolatedNode : IAsyncDisposable
{
    private static int _counter;
    private readonly NetworkNamespace _namespace;

    private IsolatedNode(NetworkNamespace ns) => _namespace = ns;

    public string Name => _namespace.Name;

    public static async Task<IsolatedNode> CreateAsync()
    {
        await NetnsJanitor.RemoveStaleAsync();
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{NetnsJanitor.Prefix}{Environment.ProcessId}-svc{Interlocked.Increment(ref _counter)}");
        var ns = await NetworkNamespace.CreateAsync(name);
        try
        {
            await ns.IpAsync("link", "add", "eth0", "type", "veth", "peer", "name", "uplink0");
            await ns.IpAsync("link", "set", "eth0", "up");
            await ns.IpAsync("link", "set", "uplink0", "up");
            await ns.IpAsync("addr", "add", "192.0.2.2/24", "dev", "eth0");
            await ns.IpAsync("-6", "addr", "add", "2001:db8::2/64", "dev", "eth0", "nodad");
            await ns.IpAsync("route", "add", "default", "via", "192.0.2.1", "dev", "eth0");
            return new IsolatedNode(ns);
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _namespace.DisposeAsync();
}
