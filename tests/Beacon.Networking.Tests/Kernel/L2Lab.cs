using Beacon.TestSupport.Netns;

namespace Beacon.Networking.Tests.Kernel;

/// <summary>A node and a client on one bridged segment; the service addresses are NOT on the node's interface.</summary>
internal sealed class L2Lab : IAsyncDisposable
{
    private L2Lab(NetLab lab, NetworkNamespace node, NetworkNamespace client, string nodeMac, string clientMac)
    {
        Lab = lab;
        Node = node;
        Client = client;
        NodeMac = nodeMac;
        ClientMac = clientMac;
    }

    public NetLab Lab { get; }

    public NetworkNamespace Node { get; }

    public NetworkNamespace Client { get; }

    public string NodeMac { get; }

    public string ClientMac { get; }

    public static async Task<L2Lab> CreateAsync()
    {
        var lab = await NetLab.CreateAsync();
        try
        {
            var lan = await lab.AddSegmentAsync("lan");
            var node = await lab.AddHostAsync("node");
            var client = await lab.AddHostAsync("client");
            var nodeMac = await lan.AttachAsync(node, "eth0", "198.18.0.1/24", "fd00:beac::1/64");
            var clientMac = await lan.AttachAsync(client, "eth0", "198.18.0.2/24", "fd00:beac::2/64");
            return new L2Lab(lab, node, client, nodeMac, clientMac);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>The client's neighbour entry for <paramref name="address"/> ("" when none).</summary>
    public async Task<string> ClientNeighbourAsync(string address) =>
        (await Client.IpAsync("neigh", "show", address, "dev", "eth0")).StandardOutput.Trim();

    /// <summary>Polls the client's neighbour table until <paramref name="done"/> holds or the deadline passes.</summary>
    public async Task<string> WaitForClientNeighbourAsync(string address, Func<string, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var entry = await ClientNeighbourAsync(address);
        while (!done(entry) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            entry = await ClientNeighbourAsync(address);
        }

        return entry;
    }

    public ValueTask DisposeAsync() => Lab.DisposeAsync();
}
