using System.Diagnostics;
using System.Globalization;
using System.Text;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.NodeAgent;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>
/// Heartbeats at 1,000 nodes in 25 subnets of 40, today's design (every agent hears every agent) beside scoped
/// membership (an agent hears its subnet), in one run: (1) the CPU of a real agent process in the namespace lab while a
/// simulator publishes the other 999 nodes' heartbeats, with nats-server's deliveries to it; (2) the server's fan-out with
/// all 1,000 nodes' subscriptions in place, read from nats-server's <c>/varz</c>, at a reduced publish rate this machine
/// can carry, and what it gives at the default rates.
/// </summary>
internal sealed class HeartbeatScalingBenchmarks : IBenchmarkSuite
{
    private const int NodeCount = 1000;
    private const int PerSubnet = 40;
    private const int Rounds = 3;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FanOutInterval = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Today = TimeSpan.FromMilliseconds(100);

    public string Name => "heartbeats";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var agentDll = await AgentBuild.BuildAsync();
        var defaults = new NodeAgentOptions();
        var cluster = new SimulatedCluster(NodeCount, PerSubnet);
        var loadBefore = LoadAverage.OneMinute();
        await using var lab = await FailoverLab.CreateAsync();
        AllocationChanged web = new(
            new ServiceKey("default", "web"),
            [new AllocatedAddress(FailoverLab.Vip, 32, IpFamily.IPv4, AddressPlacement.Local, "lan", "198.18.0.0/24", null)],
            "lan", [new ServicePort(80, "TCP")], TrafficPolicy.Cluster, [], null, 0, "");
        await lab.StartBusAsync([web], monitoring: true);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        // Agent CPU on this shared machine swings by several % of a core from one window to the next, so each design is
        // measured Rounds times, interleaved with the others on the same agent process, and the median is reported; the
        // idle rows (no peers at all) give the agent's own floor.
        var rows = new List<AgentRow>();
        rows.AddRange(await MeasureAgentAsync(lab, http, agentDll, cluster, Today, defaults.LivenessInterval,
            [(Design.Idle, "No peers (agent's own floor)"), (Design.AllHearAll, "Today: every agent hears every agent"), (Design.Scoped, "Scoped by subnet")]));
        if (defaults.HeartbeatInterval != Today)
        {
            rows.AddRange(await MeasureAgentAsync(lab, http, agentDll, cluster, defaults.HeartbeatInterval, defaults.LivenessInterval,
                [(Design.Idle, "No peers (agent's own floor)"), (Design.Scoped, "Scoped by subnet, default interval")]));
        }

        var todayFanOut = await MeasureFanOutAsync(lab, http, cluster, scoped: false);
        var scopedFanOut = await MeasureFanOutAsync(lab, http, cluster, scoped: true);
        return Render(rows, todayFanOut, scopedFanOut, defaults, $"{loadBefore} → {LoadAverage.OneMinute()}");
    }

    private sealed record AgentRow(string Design, TimeSpan Interval, double AgentCpuPercent, double ServerInPerSecond, double ServerOutPerSecond, double AgentPublishesPerSecond);

    private sealed record FanOut(long In, long Out, int Subscriptions)
    {
        public double PerMessage => (double)Out / In;
    }

    private enum Design
    {
        Idle,
        AllHearAll,
        Scoped,
    }

    private static async Task<List<AgentRow>> MeasureAgentAsync(
        FailoverLab lab, HttpClient http, string agentDll, SimulatedCluster cluster, TimeSpan interval, TimeSpan liveness, (Design Design, string Name)[] designs)
    {
        var self = cluster.Nodes[0];
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await lab.Bus.SubscribeAsync(Subjects.Heartbeat(self.Name), (_, _) =>
        {
            heard.TrySetResult();
            return ValueTask.CompletedTask;
        });
        var agent = lab.Start(lab.Nodes[self.Name], "dotnet", agentDll, "--node-name", self.Name, "--interface", "eth0", "--nats-url", "nats://198.19.0.1:4222",
            "--http-address", "127.0.0.1", "--log-level", "warning", "--heartbeat-interval", DurationMs(interval));
        try
        {
            await heard.Task.WaitAsync(TimeSpan.FromSeconds(60));
            var samples = designs.ToDictionary(d => d.Design, _ => new List<(double Cpu, double In, double Out)>());
            for (var round = 0; round < Rounds; round++)
            {
                foreach (var (design, name) in designs)
                {
                    await using var simulator = new HeartbeatSimulator(lab.Bus, Streams(cluster, design, interval, liveness));
                    await Task.Delay(Settle);
                    var cpu0 = ProcessCpuTime.Of(agent.Id);
                    var counts0 = await ServerMessageCounts.ReadAsync(http, lab.Monitoring!);
                    var clock = Stopwatch.StartNew();
                    await Task.Delay(Window);
                    var cpu1 = ProcessCpuTime.Of(agent.Id);
                    var counts1 = await ServerMessageCounts.ReadAsync(http, lab.Monitoring!);
                    var seconds = clock.Elapsed.TotalSeconds;
                    var sample = ((cpu1 - cpu0).TotalSeconds / seconds * 100, (counts1.InMsgs - counts0.InMsgs) / seconds, (counts1.OutMsgs - counts0.OutMsgs) / seconds);
                    samples[design].Add(sample);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{name} ({interval.TotalMilliseconds} ms) round {round + 1}: agent {sample.Item1:F2} % of a core, server in {sample.Item2:F0}/s out {sample.Item3:F0}/s, load {LoadAverage.OneMinute()}"));
                }
            }

            return [.. designs.Select(d => new AgentRow(d.Name, interval, Median(samples[d.Design].Select(x => x.Cpu)), Median(samples[d.Design].Select(x => x.In)),
                Median(samples[d.Design].Select(x => x.Out)), 1 / interval.TotalSeconds + (d.Design == Design.AllHearAll ? 0 : 1 / liveness.TotalSeconds)))];
        }
        finally
        {
            await agent.DisposeAsync();
        }
    }

    /// <summary>The 999 simulated peers' heartbeats for one design.</summary>
    private static List<(string, byte[], TimeSpan)> Streams(SimulatedCluster cluster, Design design, TimeSpan interval, TimeSpan liveness)
    {
        var self = cluster.Nodes[0];
        var streams = new List<(string, byte[], TimeSpan)>();
        foreach (var peer in design == Design.Idle ? [] : cluster.Peers)
        {
            var payload = SimulatedCluster.Payload(peer);
            // Today's design, as the agent sees it: every peer's heartbeat reaches it (here through its own scope).
            streams.Add((Subjects.ScopedHeartbeat(peer.Name, design == Design.Scoped ? peer.Scope : self.Scope), payload, interval));
            if (design == Design.Scoped)
            {
                streams.Add((Subjects.Heartbeat(peer.Name), payload, liveness));
            }
        }

        return streams;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// Every node's subscription as its agent would make it (all heartbeats today; its subnet's scope when scoped) plus the
    /// Allocator's (all cluster-wide heartbeats), then each node publishes once per <see cref="FanOutInterval"/>.
    /// </summary>
    private static async Task<FanOut> MeasureFanOutAsync(FailoverLab lab, HttpClient http, SimulatedCluster cluster, bool scoped)
    {
        var subscribers = new List<DiscardingSubscriber>();
        try
        {
            foreach (var subnet in cluster.Nodes.GroupBy(n => n.SubnetIndex))
            {
                subscribers.Add(await DiscardingSubscriber.ConnectAsync(lab.NatsPort,
                    [.. subnet.Select(n => scoped ? Subjects.ScopeHeartbeats(n.Scope, n.Name) : Subjects.AllHeartbeats)], CancellationToken.None));
            }

            subscribers.Add(await DiscardingSubscriber.ConnectAsync(lab.NatsPort, [Subjects.AllHeartbeats], CancellationToken.None));
            var streams = cluster.Nodes.Select(n => (scoped ? Subjects.ScopedHeartbeat(n.Name, n.Scope) : Subjects.Heartbeat(n.Name), SimulatedCluster.Payload(n), FanOutInterval)).ToList();
            await using var simulator = new HeartbeatSimulator(lab.Bus, streams);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var counts0 = await ServerMessageCounts.ReadAsync(http, lab.Monitoring!);
            await Task.Delay(FanOutInterval);
            var counts1 = await ServerMessageCounts.ReadAsync(http, lab.Monitoring!);
            var fanOut = new FanOut(counts1.InMsgs - counts0.InMsgs, counts1.OutMsgs - counts0.OutMsgs, cluster.Nodes.Count + 1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fan-out {(scoped ? "scoped" : "today")}: in {fanOut.In}, out {fanOut.Out}, {fanOut.PerMessage:F1} deliveries per heartbeat"));
            return fanOut;
        }
        finally
        {
            foreach (var subscriber in subscribers)
            {
                await subscriber.DisposeAsync();
            }
        }
    }

    private static string Render(List<AgentRow> rows, FanOut today, FanOut scoped, NodeAgentOptions defaults, string load)
    {
        var text = new StringBuilder();
        text.AppendLine("## Heartbeats at 1,000 nodes (`services/NodeAgent` membership)");
        text.AppendLine();
        text.AppendLine("Command: `./build.sh --target=Bench --bench=heartbeats` (or `dotnet run -c Release --project bench/Beacon.Benchmarks -- --docs docs/benchmarks.md heartbeats`).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Machine: {Environment.ProcessorCount} cores, {Environment.OSVersion.VersionString}, .NET {Environment.Version}; 1-minute load average {load} (shared machine: other engineers' builds and tests ran at the same time, so CPU figures are upper bounds).");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Simulated cluster: {NodeCount:N0} nodes in {NodeCount / PerSubnet} subnets of {PerSubnet}. One real agent process (Release build, JIT) runs in a node namespace of the failover lab with the lab's nats-server; the benchmark process publishes the other {NodeCount - 1} nodes' heartbeats (real encoded `NodeHeartbeat` CloudEvents) evenly spread over each interval. \"Today\" is the previous design as the agent sees it: every peer's heartbeat reaches it. Agent CPU is user + system time of the agent process over {Window.TotalSeconds:F0} s after {Settle.TotalSeconds:F0} s of settling, the median of {Rounds} rounds interleaved with the other designs on the same agent process; server messages/s are `in_msgs`/`out_msgs` of nats-server's `/varz` over the same window (the agent is the only heartbeat subscriber then, so out ≈ deliveries to the agent).");
        text.AppendLine();
        text.AppendLine("| Design | Heartbeat interval | Agent CPU (% of a core) | Server in msgs/s | Server out msgs/s (to the agent) | Messages/s each node publishes |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Design} | {row.Interval.TotalMilliseconds:F0} ms | {row.AgentCpuPercent:F2} % | {row.ServerInPerSecond:N0} | {row.ServerOutPerSecond:N0} | {row.AgentPublishesPerSecond:F0} |");
        }

        text.AppendLine();
        var todayRate = NodeCount / Today.TotalSeconds;
        var scopedFast = NodeCount / defaults.HeartbeatInterval.TotalSeconds;
        var scopedLiveness = NodeCount / defaults.LivenessInterval.TotalSeconds;
        text.AppendLine(CultureInfo.InvariantCulture, $"Server fan-out with every node's subscription in place ({NodeCount:N0} agents as their agent subscribes, plus the Allocator's subscription to the cluster-wide heartbeats; bare protocol clients that discard what they get). Each node published one heartbeat every {FanOutInterval.TotalSeconds:F0} s, a rate this 2-core machine can deliver in both designs; deliveries per heartbeat are measured (`/varz`), deliveries/s at the default rates follow from them (today: {todayRate:N0} heartbeats/s; scoped: {todayRate:N0} or, at the default interval, {scopedFast:N0} fast heartbeats/s, plus {scopedLiveness:N0} liveness heartbeats/s delivered once, to the Allocator).");
        text.AppendLine();
        text.AppendLine("| Design | Heartbeats in (measured) | Deliveries out (measured) | Deliveries per heartbeat | Server deliveries/s at default rates |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Today: every agent hears every agent (100 ms) | {today.In:N0} | {today.Out:N0} | {today.PerMessage:F1} | {todayRate * today.PerMessage:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Scoped by subnet (100 ms, liveness {defaults.LivenessInterval.TotalSeconds:F0} s) | {scoped.In:N0} | {scoped.Out:N0} | {scoped.PerMessage:F1} | {todayRate * scoped.PerMessage + scopedLiveness:N0} |");
        if (defaults.HeartbeatInterval != Today)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| Scoped by subnet, default interval ({defaults.HeartbeatInterval.TotalMilliseconds:F0} ms, liveness {defaults.LivenessInterval.TotalSeconds:F0} s) | (same) | (same) | {scoped.PerMessage:F1} | {scopedFast * scoped.PerMessage + scopedLiveness:N0} |");
        }
        text.AppendLine();
        text.AppendLine("An agent's cost now depends on its subnet (40 peers), not on the cluster (1,000): the server delivers each heartbeat to the 40 agents of its subnet instead of to every agent.");
        return text.ToString();
    }

    private static string DurationMs(TimeSpan interval) => string.Create(CultureInfo.InvariantCulture, $"{interval.TotalMilliseconds:F0}ms");
}
