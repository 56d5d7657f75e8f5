using System.Diagnostics;
using System.Globalization;
using System.Net;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Bird;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>
/// BGP node death with BFD (100 ms x 3): three nodes run BIRD driven by the Announcer's bird mode, all announcing one
/// /32 to the lab router (BIRD, ECMP into its kernel). A kill freezes every process of a node (SIGSTOP) and takes its
/// LAN link down, like a power loss; measured is the time until the router's kernel route for the address no longer has
/// the node as a next hop. <c>ip monitor route</c> in the router namespace is the event source (no polling): each route
/// event for the address is checked against the kernel's table, the first one without the victim ends the sample.
/// </summary>
internal static class BgpNodeDeath
{
    public const string Address = "198.19.30.1";
    private const string Prefix = Address + "/32";
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(60);

    public static async Task<List<FailoverSample>> MeasureAsync(int kills)
    {
        await using var lab = await BgpLab.CreateAsync(3, bfd: true);
        var set = new AnnouncementSet([new AnnouncedAddress("bench/web", IPAddress.Parse(Address), null, AddressKind.KubeLb0, "kube-lb0", BgpAttributes.None)]);
        foreach (var node in lab.Nodes)
        {
            var bird = lab.Own(await BirdDaemon.StartAsync(
                node.Host,
                d => BirdConfigs.Node(node.Ipv4, BgpLab.NodeAsn, BgpLab.UpstreamPeers, d.IncludePath, bfd: true),
                include: BirdConfigRenderer.Render([], "beacon", node.Name)));
            var mode = new BirdMode(
                new BirdModeOptions { IncludePath = bird.IncludePath, ControlSocket = bird.SocketPath },
                new BirdControlSocket(bird.SocketPath, TimeSpan.FromSeconds(5)),
                node.Name,
                NullLogger<BirdMode>.Instance);
            if (await mode.ApplyAsync(set, CancellationToken.None) is { Succeeded: false } failed)
            {
                throw new InvalidOperationException($"bird mode on {node.Name}: {failed.Problem}");
            }
        }

        var all = lab.Nodes.Select(n => n.Ipv4).Order(StringComparer.Ordinal).ToList();
        var results = new List<FailoverSample>();
        await using var monitor = lab.Router.Start("ip", ["-o", "-4", "monitor", "route"]);
        var seen = 0;
        for (var i = 0; i < kills; i++)
        {
            var victim = lab.Nodes[i % lab.Nodes.Count];
            await SettleAsync(lab, all);
            // Every route event for the address from now on (the monitor keeps all output; count past what was there).
            var before = CountEvents(monitor.Output);
            seen = before;
            var clock = Stopwatch.StartNew();
            await SignalAllAsync(victim.Host, NativeSignals.SigStop);
            var frozen = clock.Elapsed;
            await victim.Host.SetLinkAsync("eth0", up: false);
            TimeSpan gone;
            while (true)
            {
                var wanted = seen;
                var counter = 0;
                _ = await monitor.WaitForLineAsync(l => IsEvent(l) && ++counter > wanted, Converge);
                gone = clock.Elapsed;
                seen = wanted + 1;
                if (!(await lab.NextHopsAsync(Prefix)).Contains(victim.Ipv4))
                {
                    break;
                }
            }

            results.Add(new FailoverSample(gone, frozen));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bgp+bfd kill {i + 1} ({victim.Name}): {gone.TotalMilliseconds:F0} ms ({(gone - frozen).TotalMilliseconds:F0} ms after the freeze)"));
            await victim.Host.SetLinkAsync("eth0", up: true);
            await SignalAllAsync(victim.Host, NativeSignals.SigCont);
        }

        return results;
    }

    /// <summary>Every session and BFD session up and all three next hops in the router's kernel.</summary>
    private static async Task SettleAsync(BgpLab lab, List<string> all)
    {
        await lab.WaitForSessionsAsync(Converge);
        await Eventually.MatchesAsync(() => lab.RouterBird.CommandAsync("show bfd sessions"), t => t.Split(" Up ").Length - 1 >= 6, Converge, "BFD sessions up");
        await lab.WaitForNextHopsAsync(Prefix, all, Converge);
    }

    private static bool IsEvent(string line) =>
        line.StartsWith(Address + " ", StringComparison.Ordinal) || line.StartsWith("Deleted " + Address + " ", StringComparison.Ordinal);

    private static int CountEvents(string output) => output.Split('\n').Count(l => IsEvent(l.TrimEnd('\r')));

    private static async Task SignalAllAsync(NetworkNamespace host, int signal)
    {
        var pids = await HostCommand.RunAsync("ip", "netns", "pids", host.Name);
        foreach (var line in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                _ = NativeSignals.Kill(pid, signal);
            }
        }
    }
}
