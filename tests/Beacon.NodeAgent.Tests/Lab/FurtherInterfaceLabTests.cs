using System.Net;
using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;
using NATS.Client.JetStream;
using Xunit.Abstractions;

namespace Beacon.NodeAgent.Tests.Lab;

/// <summary>
/// PureLB's LBNodeAgent <c>interfaces[]</c> on real agents and a real kernel: node1 has the LAN on eth0 and a storage
/// LAN on eth1, node2 only the LAN. The LBNodeAgent set (as the Allocator publishes it, localInterface eth0 and
/// interfaces [eth1], no <c>--interface</c> option) makes node1 the owner of the storage address, on eth1, answering
/// the storage client's ARP; the LAN address still goes to one of both nodes, on eth0.
/// </summary>
public sealed class FurtherInterfaceLabTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Nats = "198.19.0.1";
    private const string StorageAddress = "198.51.100.50";
    private const string LanAddress = "198.18.0.50";
    private readonly Dictionary<string, NetworkNamespace> _nodes = [];
    private readonly Dictionary<string, BackgroundProcess> _agents = [];
    private readonly string _jetStream = Directory.CreateTempSubdirectory("beacon-ifaces-js-").FullName;
    private NetLab _lab = null!;
    private NetworkNamespace _client = null!;
    private string _node1StorageMac = "";
    private BackgroundProcess? _nats;
    private NamespaceTcpForwarder? _forwarder;
    private NatsEventBus? _bus;
    private DesiredStatePublisher? _publisher;

    public async Task InitializeAsync()
    {
        _lab = await NetLab.CreateAsync();
        var lan = await _lab.AddSegmentAsync("lan");
        var storage = await _lab.AddSegmentAsync("sto");
        var ctl = await _lab.AddSegmentAsync("ctl");
        var control = await _lab.AddHostAsync("ctl");
        await ctl.AttachAsync(control, "eth0", Nats + "/24");
        _nats = control.Start(NatsServerBinary.Path, ["-a", Nats, "-p", "4222", "-js", "-sd", _jetStream]);
        _client = await _lab.AddHostAsync("client");
        await storage.AttachAsync(_client, "eth0", "198.51.100.100/24");
        for (var i = 1; i <= 2; i++)
        {
            var node = await _lab.AddHostAsync($"node{i}");
            _nodes[$"node{i}"] = node;
            await lan.AttachAsync(node, "eth0", $"198.18.0.1{i}/24");
            await ctl.AttachAsync(node, "ctl0", $"198.19.0.1{i}/24");
        }

        _node1StorageMac = await storage.AttachAsync(_nodes["node1"], "eth1", "198.51.100.11/24");

        _forwarder = new NamespaceTcpForwarder(control.Name, new IPEndPoint(IPAddress.Parse(Nats), 4222));
        var options = new NatsOptions { Name = "interfaces-lab-publisher" };
        options.Urls.Add($"nats://127.0.0.1:{_forwarder.Port}");
        _bus = new NatsEventBus(options);
        using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.ConnectAsync(connect.Token);
        await StreamProvisioner.EnsureAsync(_bus.JetStream, new JetStreamOptions(), connect.Token);
        _publisher = new DesiredStatePublisher(_bus, new DesiredStatePublisherOptions { CheckInterval = TimeSpan.FromSeconds(1) });
        await _publisher.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, agent) in _agents)
        {
            output.WriteLine($"--- {name} agent, last lines ---\n" + string.Join('\n', agent.Output.Split('\n').TakeLast(20)));
            await agent.DisposeAsync();
        }

        if (_publisher is not null)
        {
            await _publisher.DisposeAsync();
        }

        if (_bus is not null)
        {
            await _bus.DisposeAsync();
        }

        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }

        if (_nats is not null)
        {
            await _nats.DisposeAsync();
        }

        await _lab.DisposeAsync();
        Directory.Delete(_jetStream, recursive: true);
    }

    [Fact]
    public async Task The_storage_address_goes_to_the_node_with_the_storage_subnet_on_eth1_and_answers_there()
    {
        var agent = new NodeAgentConfig("purelb/default", null, true, "eth0", null, ["eth1"], null, null, null, null, null);
        (await _bus!.JetStream.PublishAsync(Subjects.NodeAgentConfig,
            CloudEventCodec.Encode(EventTypes.NodeAgentConfig, new NodeAgentConfigSet([agent]), EventSources.Allocator))).EnsureSuccess();
        await _publisher!.ReplaceAllAsync([
            new AllocationChanged(new ServiceKey("default", "db"), [
                new AllocatedAddress(StorageAddress, 32, IpFamily.IPv4, AddressPlacement.Local, "storage", "198.51.100.0/24", null),
                new AllocatedAddress(LanAddress, 32, IpFamily.IPv4, AddressPlacement.Local, "lan", "198.18.0.0/24", null),
            ], "lab", [new ServicePort(5432, "TCP")], TrafficPolicy.Cluster, [], null, 0, ""),
        ]);
        foreach (var name in _nodes.Keys)
        {
            _agents[name] = _nodes[name].Start("dotnet", [AgentLab.AgentDll, "--node-name", name, "--nats-url", $"nats://{Nats}:4222", "--http-address", "127.0.0.1",
                // The settings are stored before the agents start; a loaded machine may need more than the default 5 s to read them.
                "--node-config-wait", "60s"]);
        }

        await AgentLab.EventuallyAsync(async () => (await HoldersAsync(StorageAddress + "/32", "eth1")).SequenceEqual(["node1"]), TimeSpan.FromSeconds(60),
            "node1 holds the storage address on eth1");
        await AgentLab.EventuallyAsync(async () => (await HoldersAsync(LanAddress + "/32", "eth0")).Length == 1, TimeSpan.FromSeconds(30),
            "exactly one node holds the LAN address on eth0");
        (await HoldersAsync(StorageAddress + "/32", "eth0")).Should().BeEmpty("the storage address never goes on the LAN interface");

        var reply = await _client.ExecAsync("arping", "-c1", "-w2", "-i", "eth0", StorageAddress);
        reply.StandardOutput.Should().ContainEquivalentOf(_node1StorageMac, "node1 answers ARP for it on the storage LAN");
    }

    private async Task<string[]> HoldersAsync(string address, string device)
    {
        var holders = new List<string>();
        foreach (var (name, node) in _nodes)
        {
            var shown = await node.ExecAsync("ip", "-o", "addr", "show", "dev", device);
            if (shown.StandardOutput.Split(' ', '\n').Contains(address))
            {
                holders.Add(name);
            }
        }

        return [.. holders];
    }
}
