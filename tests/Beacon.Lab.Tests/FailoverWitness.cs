using System.Diagnostics;
using System.Globalization;
using System.Text;
using Beacon.Lab;
using Beacon.TestSupport.Netns;

namespace Beacon.Lab.Tests;

/// <summary>
/// What a layer-2 failover looked like from the outside, so a slow one explains itself: every ARP frame on the LAN
/// bridge and at the client (tcpdump, wall-clock stamps), the client's neighbour entry changes (<c>ip monitor neigh</c>),
/// each probe attempt, and the surviving node agents' log lines from the kill on.
/// </summary>
public sealed class FailoverWitness : IAsyncDisposable
{
    private readonly LabTopology _topology;
    private readonly BackgroundProcess _bridge;
    private readonly BackgroundProcess _client;
    private readonly BackgroundProcess _neighbours;
    private readonly List<string> _attempts = [];
    private readonly DateTime _startedUtc = DateTime.UtcNow;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private FailoverWitness(LabTopology topology, BackgroundProcess bridge, BackgroundProcess client, BackgroundProcess neighbours)
    {
        _topology = topology;
        _bridge = bridge;
        _client = client;
        _neighbours = neighbours;
    }

    /// <summary>Starts the captures and returns once both tcpdumps listen.</summary>
    public static async Task<FailoverWitness> StartAsync(LabTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var bridge = BackgroundProcess.Start("ip", ["netns", "exec", topology.Switch, "tcpdump", "-i", "br0", "-e", "-n", "-l", "-tttt", "arp"]);
        var client = BackgroundProcess.Start("ip", ["netns", "exec", topology.Client, "tcpdump", "-i", "eth0", "-e", "-n", "-l", "-tttt", "arp"]);
        var neighbours = BackgroundProcess.Start("ip", ["-n", topology.Client, "-ts", "monitor", "neigh"]);
        var witness = new FailoverWitness(topology, bridge, client, neighbours);
        try
        {
            await bridge.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            await client.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        }
        catch
        {
            await witness.DisposeAsync();
            throw;
        }

        return witness;
    }

    /// <summary>Milliseconds since the witness started; the moment of the kill is noted with <see cref="Note"/>.</summary>
    public double Now => _clock.Elapsed.TotalMilliseconds;

    public void Note(string what) =>
        _attempts.Add(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} (+{Now,6:F0} ms) {what}"));

    /// <summary>The timeline: attempts, client neighbour changes, ARP frames, and node agent lines logged since the start.</summary>
    public async Task<string> ReportAsync(LabPaths paths, string clientNeighbourBefore)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"client neighbour entry before the kill: {clientNeighbourBefore.Trim()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"client now: {(await HostCommand.RunAsync("ip", "-n", _topology.Client, "neigh", "show")).StandardOutput.Trim()}");
        Section(text, "probe attempts", _attempts);
        Section(text, "client neighbour changes (ip monitor neigh)", Lines(_neighbours.Output));
        Section(text, "ARP at the client (tcpdump)", Lines(_client.Output));
        Section(text, "ARP on the LAN bridge (tcpdump)", Lines(_bridge.Output));
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
