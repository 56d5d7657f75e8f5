using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Beacon.Lab;
using Beacon.TestSupport.Netns;

namespace Beacon.Lab.Tests;

/// <summary>
/// A layer-2 failover seen from the client, timed by the kernel: the client pings the address every 20 ms (one
/// long-lived process, through its own neighbour table) and tcpdump stamps each echo reply on arrival, so the moment
/// traffic came back from the new owner's MAC does not depend on how fast a loaded machine starts processes or
/// schedules a backend. Also kept, so a slow failover explains itself: every ARP frame on the LAN bridge and at the
/// client, the client's neighbour entry changes (<c>ip monitor neigh</c>), notes of what the test did and the node
/// agents' log lines from the start on.
/// </summary>
public sealed partial class FailoverWitness : IAsyncDisposable
{
    private readonly LabTopology _topology;
    private readonly BackgroundProcess _bridge;
    private readonly BackgroundProcess _client;
    private readonly BackgroundProcess _neighbours;
    private readonly BackgroundProcess _ping;
    private readonly List<string> _notes = [];
    private readonly DateTime _startedUtc = DateTime.UtcNow;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private FailoverWitness(LabTopology topology, BackgroundProcess bridge, BackgroundProcess client, BackgroundProcess neighbours, BackgroundProcess ping)
    {
        _topology = topology;
        _bridge = bridge;
        _client = client;
        _neighbours = neighbours;
        _ping = ping;
    }

    /// <summary>Starts the captures and the client's ping of <paramref name="address"/>; returns once replies arrive.</summary>
    public static async Task<FailoverWitness> StartAsync(LabTopology topology, string address)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var bridge = BackgroundProcess.Start("ip", ["netns", "exec", topology.Switch, "tcpdump", "-i", "br0", "-e", "-n", "-l", "-tt", "arp"]);
        var client = BackgroundProcess.Start("ip", ["netns", "exec", topology.Client, "tcpdump", "-i", "eth0", "-e", "-n", "-l", "-tt", "arp or icmp"]);
        var neighbours = BackgroundProcess.Start("ip", ["-n", topology.Client, "-ts", "monitor", "neigh"]);
        var ping = BackgroundProcess.Start("ip", ["netns", "exec", topology.Client, "ping", "-n", "-q", "-i", "0.02", address]);
        var witness = new FailoverWitness(topology, bridge, client, neighbours, ping);
        try
        {
            await bridge.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            await client.WaitForLineAsync(l => l.Contains("ICMP echo reply", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        }
        catch
        {
            await witness.DisposeAsync();
            throw;
        }

        return witness;
    }

    /// <summary>
    /// How long the client was cut off by the failover that began at <paramref name="since"/>: until the first echo
    /// reply after the last request that got none (the first reply from another MAC when none was lost). Waits until
    /// replies from another MAC than <paramref name="oldMac"/> have come for a while, so an outage that starts after
    /// the takeover (a node announcing our address and giving it up again) is counted too; null if none came within
    /// <paramref name="timeout"/>.
    /// </summary>
    public async Task<TimeSpan?> OutageAsync(string oldMac, DateTimeOffset since, TimeSpan timeout)
    {
        var tailFrom = DateTimeOffset.UtcNow + TailAfterRecovery;
        try
        {
            await _client.WaitForLineAsync(l => Echo.Parse(l) is { Reply: true } e && !e.From(oldMac) && e.At >= tailFrom, timeout);
        }
        catch (TimeoutException)
        {
            return null;
        }

        var echoes = Lines(_client.Output).Select(Echo.Parse).OfType<Echo>().Where(e => e.At >= since).ToList();
        var answered = echoes.Where(e => e.Reply).Select(e => e.Sequence).ToHashSet();
        // Requests of the last moments may still be on their way back.
        var lastLost = echoes.LastOrDefault(e => !e.Reply && !answered.Contains(e.Sequence) && e.At < tailFrom);
        var back = lastLost is null
            ? echoes.FirstOrDefault(e => e.Reply && !e.From(oldMac))
            : echoes.FirstOrDefault(e => e.Reply && e.At > lastLost.At);
        return back?.At - since;
    }

    /// <summary>How long replies must keep coming from the new owner before the outage is judged over.</summary>
    private static readonly TimeSpan TailAfterRecovery = TimeSpan.FromMilliseconds(500);

    /// <summary>An echo request or reply in a tcpdump <c>-e -tt</c> line: its kernel stamp, source MAC and sequence number.</summary>
    private sealed partial record Echo(DateTimeOffset At, string SourceMac, bool Reply, int Sequence)
    {
        public bool From(string mac) => string.Equals(SourceMac, mac, StringComparison.OrdinalIgnoreCase);

        public static Echo? Parse(string line)
        {
            var match = Pattern().Match(line);
            return match.Success
                ? new Echo(
                    DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 1000)),
                    match.Groups[2].Value, match.Groups[3].Value == "reply", int.Parse(match.Groups[4].Value, CultureInfo.InvariantCulture))
                : null;
        }

        [GeneratedRegex(@"^(\d+\.\d+) (\S+) > .*ICMP echo (request|reply), id \d+, seq (\d+)")]
        private static partial Regex Pattern();
    }

    /// <summary>Milliseconds since the witness started; the moment of the kill is noted with <see cref="Note"/>.</summary>
    public double Now => _clock.Elapsed.TotalMilliseconds;

    public void Note(string what) =>
        _notes.Add(string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:F3} = {DateTime.UtcNow:HH:mm:ss.fff} (+{Now,6:F0} ms) {what}"));

    /// <summary>The timeline: attempts, client neighbour changes, ARP frames, and node agent lines logged since the start.</summary>
    public async Task<string> ReportAsync(LabPaths paths, string clientNeighbourBefore)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"client neighbour entry before the kill: {clientNeighbourBefore.Trim()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"client now: {(await HostCommand.RunAsync("ip", "-n", _topology.Client, "neigh", "show")).StandardOutput.Trim()}");
        Section(text, "what the test did", _notes);
        Section(text, "client neighbour changes (ip monitor neigh)", Lines(_neighbours.Output));
        // Echo requests are left out (50 a second); replies show which MAC answered and when.
        Section(text, "ARP and echo replies at the client (tcpdump, Unix time)", Lines(_client.Output).Where(l => !l.Contains("ICMP echo request", StringComparison.Ordinal)).Take(200));
        Section(text, "ARP on the LAN bridge (tcpdump, Unix time)", Lines(_bridge.Output));
        var since = _startedUtc.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        foreach (var node in _topology.Nodes)
        {
            var log = paths.Log($"{node}-nodeagent");
            var lines = File.Exists(log)
                ? (await File.ReadAllLinesAsync(log)).Where(l => l.Length > 12 && string.CompareOrdinal(l[..12], since) >= 0).TakeLast(60)
                : ["(no log)"];
            Section(text, $"{node} node agent from {since}", lines);
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _ping.DisposeAsync();
        await _bridge.DisposeAsync();
        await _client.DisposeAsync();
        await _neighbours.DisposeAsync();
    }

    private static IEnumerable<string> Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Section(StringBuilder text, string title, IEnumerable<string> lines)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"-- {title}");
        foreach (var line in lines)
        {
            text.AppendLine("   " + line);
        }
    }
}
