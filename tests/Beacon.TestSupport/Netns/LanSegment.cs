using System.Globalization;

namespace Beacon.TestSupport.Netns;

/// <summary>A bridge that hosts attach to with a veth pair: the LAN of a lab.</summary>
public sealed class LanSegment
{
    private readonly NetLab _lab;

    internal LanSegment(NetLab lab, NetworkNamespace switchNamespace)
    {
        _lab = lab;
        Switch = switchNamespace;
    }

    /// <summary>The namespace holding bridge <c>br0</c>; run tcpdump here to watch the whole segment.</summary>
    public NetworkNamespace Switch { get; }

    /// <summary>
    /// Plugs <paramref name="host"/> into the bridge as <paramref name="interfaceName"/> with the given addresses
    /// (CIDR notation, IPv4 or IPv6). Returns the host interface's MAC address.
    /// </summary>
    public async Task<string> AttachAsync(NetworkNamespace host, string interfaceName, params string[] addresses)
    {
        var port = string.Create(CultureInfo.InvariantCulture, $"p{_lab.NextLinkNumber()}");
        await HostCommand.RunCheckedAsync("ip", "link", "add", interfaceName, "netns", host.Name, "type", "veth", "peer", "name", port, "netns", Switch.Name);
        await Switch.IpAsync("link", "set", port, "master", "br0");
        await Switch.IpAsync("link", "set", port, "up");
        foreach (var address in addresses)
        {
            await host.IpAsync(address.Contains(':', StringComparison.Ordinal) ? ["-6", "addr", "add", address, "dev", interfaceName, "nodad"] : ["addr", "add", address, "dev", interfaceName]);
        }

        await host.IpAsync("link", "set", interfaceName, "up");
        var mac = await host.IpAsync("-br", "link", "show", interfaceName);
        return mac.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
    }

    /// <summary>Takes the host's switch port down or up: the node's cable is pulled, its own interface stays up.</summary>
    public Task SetPortAsync(string port, bool up) => Switch.SetLinkAsync(port, up);
}
