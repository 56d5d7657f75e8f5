using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Bird;
using Beacon.TestSupport.Daemons;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Benchmarks.Announcer;

/// <summary>
/// The bird mode in the three-node eBGP lab (BIRD on every node and on the router, ECMP into the router's kernel):
/// time from ApplyAsync to the route in the router's kernel for 100 services added one by one, and how long the
/// router keeps forwarding to a node whose link died, with BFD (100 ms x 3) and with the BGP hold timer alone (3 s).
/// </summary>
internal sealed class AnnouncerBenchmarks : IBenchmarkSuite
{
    private const int Services = 100;
    private const int BfdRuns = 10;
    private const int HoldTimerRuns = 3;
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    public string Name => "announcer";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var (first, full) = await MeasureAnnounceAsync();
        var bfd = await MeasureFailoverAsync(bfd: true, BfdRuns);
        var hold = await MeasureFailoverAsync(bfd: false, HoldTimerRuns);

        var text = new StringBuilder();
        text.Append("## Announcer: routes to the upstream router (bird mode)\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Command: `./build.sh --target=Bench --bench={Name}` · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · ");
        text.Append(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {Environment.OSVersion.VersionString}, .NET {Environment.Version}, BIRD 2.0.12 ");
        text.Append("(shared machine: other work ran at the same time, so absolute numbers are noisy).\n\n");
        text.Append("Lab: three node namespaces with BIRD peering over eBGP with a router namespace running BIRD (`merge paths` into its kernel); ");
        text.Append("each node's bird mode rewrites its include file and calls `configure` on BIRD's control socket.\n\n");
        text.Append("| Measurement | Runs | p50 | p99 | max |\n|---|---|---|---|---|\n");
        Row(text, "ApplyAsync on 3 nodes → route in router kernel (first next hop)", first);
        Row(text, "ApplyAsync on 3 nodes → route with all 3 ECMP next hops", full);
        Row(text, "node link down → its next hop gone from router kernel, BFD 100 ms × 3", bfd);
        Row(text, "node link down → its next hop gone, BGP hold timer 3 s, no BFD", hold);
        text.Append("\nEach announce run adds one more service (one /32) to the full desired set of all three nodes, so the include file grows from 1 to ");
        text.Append(CultureInfo.InvariantCulture, $"{Services} routes. Failover: the node's `eth0` goes down (the router's link stays up), the router's kernel route is polled every 5 ms.\n");
        return text.ToString();
    }

    private static async Task<(List<double> First, List<double> Full)> MeasureAnnounceAsync()
    {
        await using var lab = await BgpLab.CreateAsync(3, bfd: true);
        var modes = new List<BirdMode>();
        foreach (var node in lab.Nodes)
        {
            modes.Add(await StartBirdNodeAsync(lab, node, bfd: true));
        }

        await lab.WaitForSessionsAsync(Converge);
        var monitor = lab.Router.Start("ip", ["monitor", "route"]);
        var addresses = new List<AnnouncedAddress>();
        var first = new List<double>();
        var full = new List<double>();
        var all = lab.Nodes.Select(n => n.Ipv4).ToList();
        for (var i = 1; i <= Services; i++)
        {
            var address = $"198.19.20.{i}";
            addresses.Add(new AnnouncedAddress($"bench/svc{i}", IPAddress.Parse(address), null, AddressKind.KubeLb0, "kube-lb0", BgpAttributes.None));
            var set = new AnnouncementSet([.. addresses]);
            var clock = Stopwatch.StartNew();
            var appeared = monitor.WaitForLineAsync(l => l.StartsWith(address + " ", StringComparison.Ordinal), Converge);
            var outcomes = await Task.WhenAll(modes.Select(m => m.ApplyAsync(set, CancellationToken.None)));
            if (outcomes.FirstOrDefault(o => !o.Succeeded) is { } failed)
            {
                throw new InvalidOperationException($"apply failed: {failed.Problem}");
            }

            await appeared;
            first.Add(clock.Elapsed.TotalMilliseconds);
            await lab.WaitForNextHopsAsync(address + "/32", all, Converge);
            full.Add(clock.Elapsed.TotalMilliseconds);
        }

        return (first, full);
    }

    private static async Task<List<double>> MeasureFailoverAsync(bool bfd, int runs)
    {
        await using var lab = await BgpLab.CreateAsync(3, bfd);
        var set = new AnnouncementSet([new AnnouncedAddress("bench/web", IPAddress.Parse("198.19.30.1"), null, AddressKind.KubeLb0, "kube-lb0", BgpAttributes.None)]);
        foreach (var node in lab.Nodes)
        {
            var mode = await StartBirdNodeAsync(lab, node, bfd);
            _ = await mode.ApplyAsync(set, CancellationToken.None);
        }

        var victim = lab.Nodes[2];
        var all = lab.Nodes.Select(n => n.Ipv4).ToList();
        var survivors = all.Where(a => a != victim.Ipv4).ToList();
        var times = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            await lab.WaitForSessionsAsync(Converge);
            await lab.WaitForNextHopsAsync("198.19.30.1/32", all, Converge);
            if (bfd)
            {
                await Eventually.MatchesAsync(() => lab.RouterBird.CommandAsync("show bfd sessions"), t => t.Split(" Up ").Length - 1 >= 6, Converge, "BFD sessions up");
            }

            var clock = Stopwatch.StartNew();
            await victim.Host.SetLinkAsync("eth0", up: false);
            await Eventually.MatchesAsync(() => lab.NextHopsAsync("198.19.30.1/32"), h => h.SequenceEqual(survivors), Converge, "next hop withdrawn", TimeSpan.FromMilliseconds(5));
            times.Add(clock.Elapsed.TotalMilliseconds);
            await victim.Host.SetLinkAsync("eth0", up: true);
        }

        return times;
    }

    private static async Task<BirdMode> StartBirdNodeAsync(BgpLab lab, LabNode node, bool bfd)
    {
        var bird = lab.Own(await BirdDaemon.StartAsync(
            node.Host,
            d => BirdConfigs.Node(node.Ipv4, BgpLab.NodeAsn, BgpLab.UpstreamPeers, d.IncludePath, bfd),
            include: BirdConfigRenderer.Render([], "beacon", node.Name)));
        return new BirdMode(
            new BirdModeOptions { IncludePath = bird.IncludePath, ControlSocket = bird.SocketPath },
            new BirdControlSocket(bird.SocketPath, TimeSpan.FromSeconds(5)),
            node.Name,
            NullLogger<BirdMode>.Instance);
    }

    private static void Row(StringBuilder text, string what, List<double> millis)
    {
        var sorted = millis.Order().ToList();
        text.Append(CultureInfo.InvariantCulture, $"| {what} | {sorted.Count} | {Ms(Percentile(sorted, 50))} | {Ms(Percentile(sorted, 99))} | {Ms(sorted[^1])} |\n");
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Ms(double value) => value.ToString("F0", CultureInfo.InvariantCulture) + " ms";
}
