using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Modes.Routing;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// Hands the node's routes to gobgpd through the <c>gobgp</c> CLI: reads the locally originated paths of the
/// global RIB, then adds, re-adds and deletes until they match the desired routes. The mode owns every locally
/// originated path of gobgpd's global RIB, so gobgpd should be dedicated to announcing for Beacon. Resource peers
/// (BGPPeer, BgpPeer) are neighbours in Beacon's section of gobgpd's config file, applied by SIGHUP: the CLI cannot
/// set passwords, ports, source addresses or timers, and gobgpd's reload adds, deletes and updates exactly the
/// neighbours that changed, leaving the global RIB and every other session alone.
/// </summary>
public sealed partial class GoBgpMode(GoBgpModeOptions options, ICommandRunner runner, IGoBgpdReload reload, ILogger<GoBgpMode> logger) : IAnnouncerMode
{
    public const string ModeName = "gobgp";

    private string _warnings = "";

    // The config text gobgpd was last told to reload: a neighbour gobgpd refused is not retried by signalling the same
    // file again (gobgpd diffs against the file it read last, not against its neighbours).
    private string? _reloaded;

    public string Name => ModeName;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<ApplyOutcome> ApplyAsync(AnnouncementSet desired, CancellationToken cancellationToken)
    {
        // Global paths carry the node-wide attributes (what gobgpd.conf's own neighbours get); the global export policy
        // sends each resource peer only the routes advertised to it, adding its advertisements' attributes.
        var routes = RoutePlanner.Plan(desired, options.AnnounceLocalAddresses);
        var peerRoutes = PeerPlanner.Plan(desired, options.AnnounceLocalAddresses);
        var problems = RouteValidation.Problems([.. routes, .. peerRoutes.SelectMany(p => p.Routes)]);
        if (problems.Count > 0)
        {
            return ApplyOutcome.Failed(string.Join("; ", problems));
        }

        var current = new List<GoBgpPath>();
        foreach (var family in new[] { "ipv4", "ipv6" })
        {
            var list = await GobgpAsync(["global", "rib", "-a", family, "-j"], cancellationToken).ConfigureAwait(false);
            if (!list.Succeeded)
            {
                return ApplyOutcome.Failed($"gobgpd is not reachable at {options.ApiTarget} (exit {list.ExitCode}): {list.Message}");
            }

            current.AddRange(GoBgpRib.ParseLocalPaths(list.StandardOutput));
        }

        var neighbors = await GobgpAsync(["neighbor", "-j"], cancellationToken).ConfigureAwait(false);
        if (!neighbors.Succeeded)
        {
            return ApplyOutcome.Failed($"gobgpd does not list its neighbours (exit {neighbors.ExitCode}): {neighbors.Message}");
        }

        var peers = await ConfigurePeersAsync(desired.Peers, GoBgpNeighbors.Parse(neighbors.StandardOutput), cancellationToken).ConfigureAwait(false);
        var warnings = string.Join("; ", peers.Warnings);
        if (warnings != _warnings)
        {
            _warnings = warnings;
            if (warnings.Length > 0)
            {
                LogUnsupported(logger, warnings);
            }
        }

        var policyJson = new List<string>();
        foreach (var read in new[] { new[] { "global", "policy", "export", "-j" }, ["policy", "-j"], ["policy", "statement", "-j"], ["policy", "prefix", "-j"], ["policy", "neighbor", "-j"] })
        {
            var output = await GobgpAsync(read, cancellationToken).ConfigureAwait(false);
            if (!output.Succeeded)
            {
                return ApplyOutcome.Failed($"gobgp {string.Join(' ', read)} failed (exit {output.ExitCode}): {output.Message}");
            }

            policyJson.Add(output.StandardOutput);
        }

        var export = GoBgpExportPlan.Build(
            GoBgpPolicyState.Parse(policyJson[0], policyJson[1], policyJson[2], policyJson[3], policyJson[4]),
            [.. peerRoutes.Select(p => (Address: GoBgpExportPlan.AddressOf(p.Peer), Routes: p)).Where(p => peers.Owned.Contains(p.Address))],
            routes);
        var commands = GoBgpCommandPlan.Build(current, routes).Concat(export.Commands).ToList();
        foreach (var command in commands)
        {
            var output = await GobgpAsync(command, cancellationToken).ConfigureAwait(false);
            if (!output.Succeeded)
            {
                var problem = $"gobgp {string.Join(' ', command)} failed (exit {output.ExitCode}): {output.Message}";
                LogFailed(logger, problem);
                return ApplyOutcome.Failed(problem);
            }
        }

        if (commands.Count > 0)
        {
            LogApplied(logger, routes.Count, commands.Count);
        }

        return ApplyOutcome.Applied(commands.Count + peers.Reloads);
    }

    /// <summary>
    /// Takes Beacon's section of gobgpd's config file to the resource peers and has gobgpd reload it. A timer change is
    /// a removal and a re-add (gobgpd takes reloaded timers only into the next session): two reloads, only that
    /// session resets. Returns the peers' addresses gobgpd runs as configured, for the export policy.
    /// </summary>
    private async Task<PeerOutcome> ConfigurePeersAsync(IReadOnlyList<ResourcePeer> desired, IReadOnlyList<GoBgpNeighbor> listed, CancellationToken cancellationToken)
    {
        var path = options.ConfigPath;
        if (path.Length == 0)
        {
            return desired.Count == 0
                ? PeerOutcome.None
                : new PeerOutcome([$"{string.Join(", ", desired.Select(p => $"'{p.Name}'"))}: resource peers need gobgpd's config file (set Gobgp:ConfigPath, --gobgp-config-path, to the file gobgpd runs with -f): not configured"], PeerOutcome.NoAddresses, 0);
        }

        string existing;
        try
        {
            existing = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false) : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new PeerOutcome([$"gobgpd's config file {path} cannot be read ({e.Message}): resource peers are not configured"], PeerOutcome.NoAddresses, 0);
        }

        var operatorPart = GoBgpConfigFile.OperatorPart(existing);
        var plan = GoBgpPeerPlan.Build(desired, GoBgpConfigFile.NeighborAddresses(operatorPart));
        var ours = GoBgpConfigFile.NeighborAddresses(existing[operatorPart.Length..]);
        var have = listed.ToDictionary(n => n.Address, StringComparer.Ordinal);
        var reloads = 0;
        var retimed = plan.Peers.Where(p => ours.Contains(p.Address) && have.TryGetValue(p.Address, out var n) && !p.HasTimersOf(n)).ToList();
        if (retimed.Count > 0)
        {
            var without = plan.Peers.Except(retimed).ToList();
            var (problem, now) = await ReloadAsync(path, GoBgpConfigFile.Render(operatorPart, without, options.ConnectRetry), without, ours, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return Unreloaded(problem, plan, have);
            }

            reloads++;
            have = now;
            ours = without.Select(p => p.Address).ToHashSet(StringComparer.Ordinal);
        }

        var text = GoBgpConfigFile.Render(operatorPart, plan.Peers, options.ConnectRetry);
        if (text != existing || retimed.Count > 0 || (text != _reloaded && !Converged(plan.Peers, ours, have)))
        {
            var (problem, now) = await ReloadAsync(path, text, plan.Peers, ours, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return Unreloaded(problem, plan, have);
            }

            reloads++;
            have = now;
        }

        var warnings = plan.Warnings.ToList();
        warnings.AddRange(plan.Peers.Where(p => !(have.TryGetValue(p.Address, out var n) && p.IsConfiguredAs(n)))
            .Select(p => $"peer '{p.Name}': gobgpd does not run the neighbour {p.Address} as {path} configures it (gobgpd's log says why)"));
        return new PeerOutcome(warnings, Present(plan, have), reloads);
    }

    /// <summary>The file could not be written or gobgpd not signalled: routes still go to the neighbours gobgpd has.</summary>
    private static PeerOutcome Unreloaded(string problem, GoBgpPeerPlan plan, IReadOnlyDictionary<string, GoBgpNeighbor> have) =>
        new([problem + ": resource peers are not (re)configured", .. plan.Warnings], Present(plan, have), 0);

    private static HashSet<string> Present(GoBgpPeerPlan plan, IReadOnlyDictionary<string, GoBgpNeighbor> have) =>
        plan.Peers.Where(p => have.ContainsKey(p.Address)).Select(p => p.Address).ToHashSet(StringComparer.Ordinal);

    /// <summary>Writes the file (atomically), signals gobgpd and waits until its neighbours show the file.</summary>
    private async Task<(string? Problem, Dictionary<string, GoBgpNeighbor> Neighbors)> ReloadAsync(
        string path, string text, IReadOnlyList<GoBgpPeer> peers, IReadOnlySet<string> previous, CancellationToken cancellationToken)
    {
        try
        {
            var temporary = path + ".beacon-new";
            await File.WriteAllTextAsync(temporary, text, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ($"gobgpd's config file {path} cannot be written: {e.Message}", []);
        }

        if (reload.Reload(path) is { } problem)
        {
            return (problem, []);
        }

        _reloaded = text;
        LogReloaded(logger, path, peers.Count);
        var deadline = DateTime.UtcNow + options.ReloadTimeout;
        while (true)
        {
            var list = await GobgpAsync(["neighbor", "-j"], cancellationToken).ConfigureAwait(false);
            if (!list.Succeeded)
            {
                return ($"gobgpd does not list its neighbours after reloading {path} (exit {list.ExitCode}): {list.Message}", []);
            }

            var now = GoBgpNeighbors.Parse(list.StandardOutput).ToDictionary(n => n.Address, StringComparer.Ordinal);
            if (Converged(peers, previous, now) || DateTime.UtcNow >= deadline)
            {
                return (null, now);
            }

            // gobgpd applies a reload within milliseconds and has no event to await but its neighbour list.
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every peer runs as configured and every other neighbour of Beacon's previous section is gone.</summary>
    private static bool Converged(IReadOnlyList<GoBgpPeer> peers, IReadOnlySet<string> previous, IReadOnlyDictionary<string, GoBgpNeighbor> have) =>
        peers.All(p => have.TryGetValue(p.Address, out var n) && p.IsConfiguredAs(n))
        && previous.Where(a => peers.All(p => p.Address != a)).All(a => !have.ContainsKey(a));

    private sealed record PeerOutcome(IReadOnlyList<string> Warnings, IReadOnlySet<string> Owned, int Reloads)
    {
        public static readonly IReadOnlySet<string> NoAddresses = new HashSet<string>(StringComparer.Ordinal);

        public static PeerOutcome None { get; } = new([], NoAddresses, 0);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<CommandOutput> GobgpAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        runner.RunAsync(options.GobgpPath, [.. TargetArguments(), .. arguments], cancellationToken);

    private IEnumerable<string> TargetArguments()
    {
        if (options.ApiTarget.StartsWith("unix://", StringComparison.Ordinal))
        {
            return ["--target", options.ApiTarget];
        }

        var colon = options.ApiTarget.LastIndexOf(':');
        return colon > 0 ? ["-u", options.ApiTarget[..colon].Trim('[', ']'), "-p", options.ApiTarget[(colon + 1)..]] : ["-u", options.ApiTarget];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "gobgp mode and resource peers: {Warnings}")]
    private static partial void LogUnsupported(ILogger logger, string warnings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "gobgp apply failed: {Problem}")]
    private static partial void LogFailed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "gobgpd reloads {Path} with {Peers} resource peers")]
    private static partial void LogReloaded(ILogger logger, string path, int peers);

    [LoggerMessage(Level = LogLevel.Information, Message = "gobgpd announces {Routes} routes ({Changes} changed)")]
    private static partial void LogApplied(ILogger logger, int routes, int changes);
}
