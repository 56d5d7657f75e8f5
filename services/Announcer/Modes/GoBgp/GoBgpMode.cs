using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Modes.Routing;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// Hands the node's routes to gobgpd through the <c>gobgp</c> CLI: reads the locally originated paths of the
/// global RIB, then adds, re-adds and deletes until they match the desired routes. The mode owns every locally
/// originated path of gobgpd's global RIB, so gobgpd should be dedicated to announcing for Beacon.
/// </summary>
public sealed partial class GoBgpMode(GoBgpModeOptions options, ICommandRunner runner, ILogger<GoBgpMode> logger) : IAnnouncerMode
{
    public const string ModeName = "gobgp";

    // Neighbours this mode added (the CLI cannot label them): only these are ever deleted. After a restart, a peer
    // deleted meanwhile is no longer known and stays until gobgpd restarts; one still wanted is adopted by address.
    private IReadOnlySet<string> _owned = new HashSet<string>(StringComparer.Ordinal);
    private string _warnings = "";

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

        var peers = GoBgpPeerPlan.Build(GoBgpNeighbors.Parse(neighbors.StandardOutput), desired.Peers, _owned);
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
        var commands = peers.Commands.Concat(GoBgpCommandPlan.Build(current, routes)).Concat(export.Commands).ToList();
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

        _owned = peers.Owned;
        if (commands.Count > 0)
        {
            LogApplied(logger, routes.Count, commands.Count);
        }

        return ApplyOutcome.Applied(commands.Count);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "gobgpd announces {Routes} routes ({Changes} changed)")]
    private static partial void LogApplied(ILogger logger, int routes, int changes);
}
