using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Modes.Routing;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Modes.Frr;

/// <summary>
/// Hands the node's routes to a running FRR through vtysh: each route becomes a BGP <c>network</c> statement with a
/// Beacon route-map carrying its attributes. Each apply reads FRR's running configuration, sends only the
/// difference, and reads it back to confirm. Nothing is saved to FRR's startup config; after an FRR restart the
/// next apply (the driver re-applies periodically) puts everything back.
/// </summary>
public sealed partial class FrrMode(FrrModeOptions options, ICommandRunner runner, ILogger<FrrMode> logger) : IAnnouncerMode
{
    public const string ModeName = "frr";

    private string _warnings = "";

    public string Name => ModeName;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<ApplyOutcome> ApplyAsync(AnnouncementSet desired, CancellationToken cancellationToken)
    {
        // Networks carry the node-wide attributes (what the operator's own neighbours get); each resource peer's
        // outbound route-map lets through only the routes advertised to it, with its advertisements' attributes.
        var routes = RoutePlanner.Plan(desired, options.AnnounceLocalAddresses);
        var peerRoutes = PeerPlanner.Plan(desired, options.AnnounceLocalAddresses);
        var problems = RouteValidation.Problems([.. routes, .. peerRoutes.SelectMany(p => p.Routes)]);
        if (problems.Count > 0)
        {
            return ApplyOutcome.Failed(string.Join("; ", problems));
        }

        var read = await ReadStateAsync(cancellationToken).ConfigureAwait(false);
        if (read.Problem is not null)
        {
            return ApplyOutcome.Failed(read.Problem);
        }

        var asn = options.Asn ?? read.State!.BgpAsns.FirstOrDefault();
        if (options.Asn is null && read.State!.BgpAsns.Count != 1)
        {
            return ApplyOutcome.Failed($"FRR has {read.State.BgpAsns.Count} default-VRF BGP instances; set the frr mode's ASN");
        }

        var plan = FrrCommandPlan.Build(read.State!, routes, asn, options.RouteMapPrefix);
        var peers = FrrPeerPlan.Build(FrrPeerState.Parse(read.Text!, options.RouteMapPrefix, asn), peerRoutes, asn, options.RouteMapPrefix);
        ReportWarnings(peers.Warnings);
        if (plan.Commands.Count == 0 && peers.Commands.Count == 0)
        {
            return ApplyOutcome.Applied(0);
        }

        List<string> commands = ["configure terminal", .. peers.Commands, .. plan.Commands.Skip(1).SkipLast(1), "end"];
        var output = await VtyshAsync(commands, cancellationToken).ConfigureAwait(false);
        var after = await ReadStateAsync(cancellationToken).ConfigureAwait(false);
        if (!output.Succeeded || after.State is null || !FrrCommandPlan.IsConverged(after.State, routes, options.RouteMapPrefix)
            || FrrPeerPlan.Build(FrrPeerState.Parse(after.Text!, options.RouteMapPrefix, asn), peerRoutes, asn, options.RouteMapPrefix).Commands.Count > 0)
        {
            var problem = $"vtysh did not converge FRR (exit {output.ExitCode}): {output.Message}{after.Problem}";
            LogFailed(logger, problem);
            return ApplyOutcome.Failed(problem);
        }

        LogApplied(logger, routes.Count, plan.Changes + peers.Changes);
        return ApplyOutcome.Applied(plan.Changes + peers.Changes);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<(FrrBeaconState? State, string? Text, string? Problem)> ReadStateAsync(CancellationToken cancellationToken)
    {
        var output = await VtyshAsync(["show running-config"], cancellationToken).ConfigureAwait(false);
        return output.Succeeded
            ? (FrrRunningConfig.Parse(output.StandardOutput, options.RouteMapPrefix, options.Asn), output.StandardOutput, null)
            : (null, null, $"FRR is not reachable through vtysh (exit {output.ExitCode}): {output.Message}");
    }

    private void ReportWarnings(IReadOnlyList<string> warnings)
    {
        var text = string.Join("; ", warnings);
        if (text != _warnings)
        {
            _warnings = text;
            if (text.Length > 0)
            {
                LogUnsupported(logger, text);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "frr mode and resource peers: {Warnings}")]
    private static partial void LogUnsupported(ILogger logger, string warnings);

    private Task<CommandOutput> VtyshAsync(IReadOnlyList<string> commands, CancellationToken cancellationToken) =>
        runner.RunAsync(options.VtyshPath, [.. options.VtyshArguments, .. commands.SelectMany(c => new[] { "-c", c })], cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FRR apply failed: {Problem}")]
    private static partial void LogFailed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "FRR announces {Routes} routes ({Changes} changed)")]
    private static partial void LogApplied(ILogger logger, int routes, int changes);
}
