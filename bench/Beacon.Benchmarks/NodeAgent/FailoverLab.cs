using System.Diagnostics;
using System.Globalization;
using System.Net;
using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>
/// Three nodes and a client on a LAN bridge, nats-server on a separate control segment; the contender (Beacon's node
/// agents or keepalived) runs in the node namespaces. "Killing" a node freezes every process in its namespace and takes
/// its links down, like a power loss seen from the LAN.
/// </summary>
internal sealed class FailoverLab : IAsyncDisposable
{
    public const string Vip = "198.18.0.200";
    public static readonly string[] NodeNames = ["node1", "node2", "node3"];

    private readonly List<BackgroundProcess> _processes = [];
    private NetLab? _lab;
    private NamespaceTcpForwarder? _forwarder;
    private NamespaceTcpForwarder? _monitorForwarder;
    private NatsEventBus? _bus;
    private DesiredStatePublisher? _publisher;

    public NetworkNamespace Client { get; private set; } = null!;

    public NetworkNamespace Control { get; private set; } = null!;

    public Dictionary<string, NetworkNamespace> Nodes { get; } = [];

    public Dictionary<string, string> Macs { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static async Task<FailoverLab> CreateAsync()
    {
        var lab = new FailoverLab();
        lab._lab = await NetLab.CreateAsync();
        var lan = await lab._lab.AddSegmentAsync("lan");
        var ctl = await lab._lab.AddSegmentAsync("ctl");
        lab.Control = await lab._lab.AddHostAsync("ctl");
        await ctl.AttachAsync(lab.Control, "eth0", "198.19.0.1/24");
        lab.Client = await lab._lab.AddHostAsync("client");
        await lan.AttachAsync(lab.Client, "eth0", "198.18.0.100/24");
        for (var i = 1; i <= NodeNames.Length; i++)
        {
            var node = await lab._lab.AddHostAsync(NodeNames[i - 1]);
            lab.Nodes[NodeNames[i - 1]] = node;
            lab.Macs[NodeNames[i - 1]] = await lan.AttachAsync(node, "eth0", string.Create(CultureInfo.InvariantCulture, $"198.18.0.1{i}/24"));
            await ctl.AttachAsync(node, "ctl0", string.Create(CultureInfo.InvariantCulture, $"198.19.0.1{i}/24"));
        }

        return lab;
    }

    public BackgroundProcess Start(NetworkNamespace ns, string file, params string[] args)
    {
        var process = ns.Start(file, args);
        _processes.Add(process);
        return process;
    }

    /// <summary>The test process's own connection to the lab's nats-server (after <see cref="StartBusAsync"/>).</summary>
    public NatsEventBus Bus => _bus ?? throw new InvalidOperationException("bus not started");

    /// <summary>A loopback port forwarded to nats-server's client port in the ctl namespace.</summary>
    public int NatsPort => _forwarder?.Port ?? throw new InvalidOperationException("bus not started");

    /// <summary>nats-server's monitoring endpoint (<c>/varz</c>…) through a loopback forwarder, when started with monitoring.</summary>
    public Uri? Monitoring { get; private set; }

    /// <summary>nats-server in the ctl namespace and a desired-state publisher here, reaching it through a forwarder.</summary>
    public async Task StartBusAsync(IEnumerable<AllocationChanged> desired, bool monitoring = false)
    {
        string[] monitor = monitoring ? ["-m", "8222"] : [];
        Start(Control, NatsServerBinary.Path, ["-a", "198.19.0.1", "-p", "4222", "-js", "-sd", Directory.CreateTempSubdirectory("beacon-failover-js-").FullName, .. monitor]);
        _forwarder = new NamespaceTcpForwarder(Control.Name, new IPEndPoint(IPAddress.Parse("198.19.0.1"), 4222));
        if (monitoring)
        {
            _monitorForwarder = new NamespaceTcpForwarder(Control.Name, new IPEndPoint(IPAddress.Parse("198.19.0.1"), 8222));
            Monitoring = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_monitorForwarder.Port}/"));
        }

        var options = new NatsOptions { Name = "failover-bench" };
        options.Urls.Add(string.Create(CultureInfo.InvariantCulture, $"nats://127.0.0.1:{_forwarder.Port}"));
        _bus = new NatsEventBus(options);
        using var connectDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.ConnectAsync(connectDeadline.Token);
        _publisher = new DesiredStatePublisher(_bus);
        await _publisher.StartAsync();
        await _publisher.ReplaceAllAsync(desired);
    }

    /// <summary>Freezes every process of the node and takes its LAN and control links down; returns when it was frozen (on <paramref name="clock"/>).</summary>
    public async Task<TimeSpan> KillAsync(string node, Stopwatch clock)
    {
        await SignalAllAsync(node, 19);
        var frozen = clock.Elapsed;
        await Nodes[node].SetLinkAsync("eth0", false);
        await Nodes[node].SetLinkAsync("ctl0", false);
        return frozen;
    }

    public async Task ReviveAsync(string node)
    {
        await Nodes[node].SetLinkAsync("eth0", true);
        await Nodes[node].SetLinkAsync("ctl0", true);
        await SignalAllAsync(node, 18);
    }

    /// <summary>
    /// Which node answers ARP for <see cref="Vip"/> now: one arping from the client, raw output (the replier's MAC).
    /// </summary>
    public async Task<string?> ArpOwnerAsync()
    {
        var result = await Client.ExecAsync("arping", "-r", "-c1", "-w1", "-i", "eth0", Vip);
        var mac = result.StandardOutput.Trim().Split('\n')[0].Trim();
        return Macs.FirstOrDefault(m => string.Equals(m.Value, mac, StringComparison.OrdinalIgnoreCase)).Key;
    }

    /// <summary>
    /// Kills the current owner and returns the time until the client gets an ARP reply for the address from another
    /// node (ARP requests every 10 ms), and when the owner's processes were frozen (finding and signalling them takes
    /// fork/exec of ip, slow on a loaded machine); then revives it and waits until <paramref name="settled"/>.
    /// Null (nothing killed) when the first reply before the kill came from another node: the address moved meanwhile.
    /// </summary>
    public async Task<FailoverSample?> MeasureFailoverAsync(string owner, Func<Task<bool>> settled)
    {
        var watcher = Start(Client, "stdbuf", "-oL", "arping", "-r", "-W", "0.01", "-i", "eth0", Vip);
        try
        {
            var first = await watcher.WaitForLineAsync(l => Macs.Values.Any(m => string.Equals(l.Trim(), m, StringComparison.OrdinalIgnoreCase)), TimeSpan.FromSeconds(10));
            if (!string.Equals(first.Trim(), Macs[owner], StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var startedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var frozen = await KillAsync(owner, clock);
            await watcher.WaitForLineAsync(
                l => Macs.Any(m => m.Key != owner && string.Equals(m.Value, l.Trim(), StringComparison.OrdinalIgnoreCase)),
                TimeSpan.FromSeconds(30));
            var took = clock.Elapsed;
            await ReviveAsync(owner);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!await settled())
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("the lab did not settle after reviving " + owner);
                }

                await Task.Delay(100);
            }

            return new FailoverSample(took, frozen) { StartedAt = startedAt };
        }
        finally
        {
            await watcher.DisposeAsync();
        }
    }

    /// <summary>Stops the contender's processes on every node (not nats-server or the lab).</summary>
    public async Task StopNodeProcessesAsync()
    {
        foreach (var process in _processes.Where(p => !p.Display.Contains("nats-server", StringComparison.Ordinal)).ToList())
        {
            await process.DisposeAsync();
            _processes.Remove(process);
        }
    }

    public async ValueTask DisposeAsync()
    {
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

        if (_monitorForwarder is not null)
        {
            await _monitorForwarder.DisposeAsync();
        }

        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    private async Task SignalAllAsync(string node, int signal)
    {
        var pids = await HostCommand.RunAsync("ip", "netns", "pids", Nodes[node].Name);
        foreach (var line in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                _ = NativeSignals.Kill(pid, signal);
            }
        }
    }
}
