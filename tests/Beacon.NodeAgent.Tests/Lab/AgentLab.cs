using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;

namespace Beacon.NodeAgent.Tests.Lab;

/// <summary>
/// The node agent's lab: a LAN bridge with node1..node3 and a client; a separate control segment with nats-server in
/// its own "ctl" namespace (so a node's control path can be cut without touching the LAN); the real built agent
/// process in each node namespace; and a desired-state publisher in the test process, reaching NATS through a
/// loopback forwarder whose upstream socket lives in the ctl namespace.
/// </summary>
public sealed class AgentLab : IAsyncLifetime
{
    public const string Nats = "198.19.0.1";
    public static readonly string[] NodeNames = ["node1", "node2", "node3"];
    public static readonly string AgentDll = Path.Combine(AppContext.BaseDirectory, "Beacon.NodeAgent.dll");

    private readonly ConcurrentDictionary<string, BackgroundProcess> _agents = new();
    private NetLab? _lab;
    private NamespaceTcpForwarder? _forwarder;
    private NatsEventBus? _bus;
    private IAsyncDisposable? _announcementSubscription;

    public NetworkNamespace Client { get; private set; } = null!;

    public NetworkNamespace Control { get; private set; } = null!;

    public BackgroundProcess NatsServer { get; private set; } = null!;

    public Dictionary<string, NetworkNamespace> Nodes { get; } = [];

    /// <summary>Each node's LAN MAC address (what the client should learn for the owner).</summary>
    public Dictionary<string, string> Macs { get; } = [];

    public DesiredStatePublisher Publisher { get; private set; } = null!;

    public ConcurrentQueue<Announcement> Announcements { get; } = new();

    public static string Foreign(int node) => string.Create(CultureInfo.InvariantCulture, $"198.18.0.{240 + node}/32");

    public async Task InitializeAsync()
    {
        _lab = await NetLab.CreateAsync();
        var lan = await _lab.AddSegmentAsync("lan");
        var ctl = await _lab.AddSegmentAsync("ctl");
        Control = await _lab.AddHostAsync("ctl");
        await ctl.AttachAsync(Control, "eth0", Nats + "/24");
        StartNats();
        Client = await _lab.AddHostAsync("client");
        await lan.AttachAsync(Client, "eth0", "198.18.0.100/24", "fd00:beac::100/64");
        for (var i = 1; i <= NodeNames.Length; i++)
        {
            var name = NodeNames[i - 1];
            var node = await _lab.AddHostAsync(name);
            Nodes[name] = node;
            Macs[name] = await lan.AttachAsync(node, "eth0", $"198.18.0.1{i}/24", $"fd00:beac::1{i}/64");
            await ctl.AttachAsync(node, "ctl0", $"198.19.0.1{i}/24");
            // An operator's own address on the LAN interface: the agent must never touch it.
            await node.IpAsync("addr", "add", Foreign(i), "dev", "eth0");
        }

        _forwarder = new NamespaceTcpForwarder(Control.Name, new IPEndPoint(IPAddress.Parse(Nats), 4222));
        var options = new NatsOptions { Name = "nodeagent-lab-publisher", ReconnectDelayMax = TimeSpan.FromMilliseconds(500) };
        options.Urls.Add($"nats://127.0.0.1:{_forwarder.Port}");
        _bus = new NatsEventBus(options);
        await _bus.ConnectAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        Publisher = new DesiredStatePublisher(_bus, new DesiredStatePublisherOptions { CheckInterval = TimeSpan.FromSeconds(1) });
        await Publisher.StartAsync();
        _announcementSubscription = await _bus.SubscribeAnnouncementsAsync(
            (a, _) =>
            {
                Announcements.Enqueue(a);
                return ValueTask.CompletedTask;
            },
            new DroppedMessageReporter(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new MessagingCounters()));
        await Publisher.ReplaceAllAsync(Baseline.Services);
        foreach (var name in NodeNames)
        {
            StartAgent(name);
        }

        await Task.WhenAll(NodeNames.Select(n => WaitReadyAsync(n, TimeSpan.FromSeconds(60))));
    }

    public async Task DisposeAsync()
    {
        if (_announcementSubscription is not null)
        {
            await _announcementSubscription.DisposeAsync();
        }

        if (Publisher is not null)
        {
            await Publisher.DisposeAsync();
        }

        if (_bus is not null)
        {
            await _bus.DisposeAsync();
        }

        if (_forwarder is not null)
        {
            await _forwarder.DisposeAsync();
        }

        foreach (var agent in _agents.Values)
        {
            await agent.DisposeAsync();
        }

        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }

        if (Directory.Exists(_jetStreamDirectory))
        {
            Directory.Delete(_jetStreamDirectory, recursive: true);
        }
    }

    public BackgroundProcess Agent(string node) => _agents[node];

    /// <summary>Kills nats-server and starts a new one on the same address (agents and publisher reconnect by themselves).</summary>
    public async Task KillNatsAsync()
    {
        NatsServer.Signal(NativeSignals.SigKill);
        await NatsServer.WaitForExitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>nats-server with JetStream; its storage lives in a temporary directory this lab owns.</summary>
    public void StartNats() => NatsServer = Control.Start(NatsServerBinary.Path, ["-a", Nats, "-p", "4222", "-js", "-sd", _jetStreamDirectory]);

    /// <summary>Kills nats-server and deletes its JetStream storage: the next start is NATS "restarted without its storage".</summary>
    public async Task KillNatsAndWipeStorageAsync()
    {
        await KillNatsAsync();
        Directory.Delete(_jetStreamDirectory, recursive: true);
    }

    private readonly string _jetStreamDirectory = Directory.CreateTempSubdirectory("beacon-agentlab-js-").FullName;

    /// <summary>Everything on every node's eth0 and kube-lb0, as "node dev address/prefix" lines.</summary>
    public async Task<SortedSet<string>> EverythingPlumbedAsync()
    {
        var all = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var node in NodeNames)
        {
            foreach (var device in new[] { "eth0", "kube-lb0" })
            {
                foreach (var address in await AddressesAsync(node, device))
                {
                    all.Add($"{node} {device} {address}");
                }
            }
        }

        return all;
    }

    public BackgroundProcess StartAgent(string node, params string[] extra)
    {
        var process = Nodes[node].Start("dotnet", [
            AgentDll, "--node-name", node, "--interface", "eth0", "--nats-url", $"nats://{Nats}:4222",
            "--http-address", "127.0.0.1", .. extra]);
        _agents[node] = process;
        return process;
    }

    /// <summary>Stops the agent with <paramref name="signal"/> and waits for it to exit (SIGTERM: it withdraws first).</summary>
    public async Task StopAgentAsync(string node, int signal)
    {
        var agent = _agents[node];
        agent.Signal(signal);
        (await agent.WaitForExitAsync(TimeSpan.FromSeconds(15))).Should().BeTrue($"{node}'s agent should exit on signal {signal}");
        await agent.DisposeAsync();
    }

    public async Task WaitReadyAsync(string node, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var probe = await Nodes[node].ExecAsync("curl", "-sf", "--max-time", "1", "http://127.0.0.1:9471/readyz");
            if (probe.Succeeded)
            {
                return;
            }

            if (_agents[node].HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{node}'s agent not ready ({probe.StandardOutput.Trim()}); exited: {_agents[node].HasExited}. Output:\n{_agents[node].Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Addresses on <paramref name="device"/> of <paramref name="node"/>, as "address/prefix".</summary>
    public async Task<HashSet<string>> AddressesAsync(string node, string device = "eth0")
    {
        var result = await Nodes[node].ExecAsync("ip", "-o", "addr", "show", "dev", device);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = Array.FindIndex(words, w => w is "inet" or "inet6");
            if (at >= 0 && at + 1 < words.Length)
            {
                set.Add(words[at + 1]);
            }
        }

        return set;
    }

    /// <summary>Which nodes have <paramref name="address"/> (address/prefix) on <paramref name="device"/>.</summary>
    public async Task<string[]> HoldersAsync(string address, string device = "eth0")
    {
        var holders = new List<string>();
        foreach (var node in NodeNames)
        {
            if ((await AddressesAsync(node, device)).Contains(address))
            {
                holders.Add(node);
            }
        }

        return [.. holders];
    }

    /// <summary>Polls until <paramref name="condition"/> holds; returns how long it took. Throws with <paramref name="what"/> on timeout.</summary>
    public static async Task<TimeSpan> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (started.Elapsed > timeout)
            {
                throw new TimeoutException($"not within {timeout}: {what}");
            }

            await Task.Delay(50);
        }

        return started.Elapsed;
    }

    /// <summary>The owner of a local address as the client sees it through ARP (Habets arping prints the replier's MAC).</summary>
    public async Task<string> ArpReplierAsync(string address)
    {
        var result = await Client.ExecAsync("arping", "-c1", "-w2", "-i", "eth0", address);
        var line = result.StandardOutput.Split('\n').FirstOrDefault(l => l.Contains("bytes from", StringComparison.Ordinal)) ?? "";
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 3 ? words[3] : $"<no reply: {result.StandardOutput.Trim()} {result.StandardError.Trim()}>";
    }

    /// <summary>The MAC in the client's neighbour table for <paramref name="address"/>, or "" when none.</summary>
    public async Task<string> ClientNeighbourAsync(string address)
    {
        var result = await Client.ExecAsync("ip", "neigh", "show", address, "dev", "eth0");
        var words = result.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, "lladdr");
        return at >= 0 && at + 1 < words.Length ? words[at + 1] : "";
    }

    public string? NodeWithMac(string mac) => Macs.FirstOrDefault(m => string.Equals(m.Value, mac, StringComparison.OrdinalIgnoreCase)).Key;

    /// <summary>Brings the lab back to the baseline: every agent running and ready, links up, baseline desired state, converged.</summary>
    public async Task ResetAsync()
    {
        foreach (var name in NodeNames)
        {
            await Nodes[name].SetLinkAsync("eth0", true);
            await Nodes[name].SetLinkAsync("ctl0", true);
            if (!_agents.TryGetValue(name, out var agent) || agent.HasExited)
            {
                StartAgent(name);
            }
        }

        if (NatsServer.HasExited)
        {
            StartNats();
        }

        await Publisher.ReplaceAllAsync(Baseline.Services);
        await Task.WhenAll(NodeNames.Select(n => WaitReadyAsync(n, TimeSpan.FromSeconds(60))));
        await EventuallyAsync(async () => await ConvergedAsync(), TimeSpan.FromSeconds(15), "every baseline local address on exactly its elected node");
    }

    /// <summary>Every baseline node-local address is on exactly one node, the one the election picks with all three alive.</summary>
    public async Task<bool> ConvergedAsync()
    {
        foreach (var address in Baseline.LocalAddresses)
        {
            var holders = await HoldersAsync(address);
            if (holders.Length != 1 || holders[0] != Baseline.Winner(address, NodeNames))
            {
                return false;
            }
        }

        return true;
    }

    public async Task AssertForeignAddressesIntactAsync()
    {
        for (var i = 1; i <= NodeNames.Length; i++)
        {
            (await AddressesAsync(NodeNames[i - 1])).Should().Contain(Foreign(i), "an address the agent did not add is never touched");
        }
    }
}
