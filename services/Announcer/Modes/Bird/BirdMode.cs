using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Modes.Routing;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Modes.Bird;

/// <summary>
/// Hands the node's routes to a running BIRD 2: renders the include file, replaces it atomically and asks BIRD to
/// <c>configure</c> through its control socket. BIRD is never restarted; a static protocol reconfigures in place,
/// so unchanged routes do not flap. If BIRD rejects the file, the previous (last good) file is put back and the
/// failure is returned; if BIRD is down, the file is not touched.
/// </summary>
public sealed partial class BirdMode(BirdModeOptions options, IBirdControl control, string nodeName, ILogger<BirdMode> logger)
    : IAnnouncerMode
{
    public const string ModeName = "bird";

    private IReadOnlyList<AnnouncedRoute>? _applied;
    private string? _appliedText;
    private string _appliedPeerText = "";
    private string _warnings = "";

    public string Name => ModeName;

    /// <summary>Creates an empty include file when there is none, so a BIRD started later finds what it includes.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(options.IncludePath))
        {
            await AtomicFile.WriteAsync(options.IncludePath, BirdConfigRenderer.Render([], options.ProtocolPrefix, nodeName), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    public async Task<ApplyOutcome> ApplyAsync(AnnouncementSet desired, CancellationToken cancellationToken)
    {
        var routes = RoutePlanner.Plan(desired, options.AnnounceLocalAddresses);
        var peers = PeerPlanner.Plan(desired, options.AnnounceLocalAddresses);
        var problems = RouteValidation.Problems(routes.Concat(peers.SelectMany(p => p.Routes))).Concat(NameClashes(peers)).ToList();
        if (problems.Count > 0)
        {
            return ApplyOutcome.Failed(string.Join("; ", problems));
        }

        var warnings = string.Join("; ", BirdPeerRenderer.NotRendered(peers));
        if (warnings != _warnings)
        {
            _warnings = warnings;
            if (warnings.Length > 0)
            {
                LogNotRendered(logger, warnings);
            }
        }

        var text = BirdConfigRenderer.Render(routes, peers, options.ProtocolPrefix, nodeName, options.BfdProtocol);
        var onDisk = await AtomicFile.ReadOrNullAsync(options.IncludePath, cancellationToken).ConfigureAwait(false);
        if (text == _appliedText && text == onDisk)
        {
            return ApplyOutcome.Applied(0);
        }

        if (!await control.IsUpAsync(cancellationToken).ConfigureAwait(false))
        {
            return ApplyOutcome.Failed($"BIRD does not answer on {options.ControlSocket}; {options.IncludePath} left as it was");
        }

        await AtomicFile.WriteAsync(options.IncludePath, text, cancellationToken).ConfigureAwait(false);
        BirdReply reply;
        try
        {
            reply = await control.SendAsync("configure", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // BIRD went away between the check and the command: it will read the new file when it starts, which is
            // what we want, and the caller retries the configure.
            return ApplyOutcome.Failed($"BIRD stopped answering during configure: {e.Message}");
        }

        if (!reply.IsReconfigured)
        {
            await RestoreAsync(onDisk, cancellationToken).ConfigureAwait(false);
            LogRejected(logger, reply.Code, reply.Text);
            return ApplyOutcome.Failed($"BIRD rejected {options.IncludePath} ({reply.Code:D4}): {reply.Text}; the last good file is back in place");
        }

        // A change of the peers' sessions or per-peer routes counts once, however many lines it touched.
        var peerText = BirdPeerRenderer.Render(peers, options.ProtocolPrefix, options.BfdProtocol);
        var changes = CountChanges(_applied ?? [], routes) + (peerText == _appliedPeerText ? 0 : 1);
        _applied = routes;
        _appliedText = text;
        _appliedPeerText = peerText;
        LogApplied(logger, routes.Count, peers.Count, changes);
        return ApplyOutcome.Applied(changes);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Routes added, removed or changed between two plans.</summary>
    public static int CountChanges(IReadOnlyList<AnnouncedRoute> before, IReadOnlyList<AnnouncedRoute> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        // Hashed both ways: a burst of 1,000 routes compared each old route with every new one (a million comparisons per apply).
        var old = before.ToDictionary(r => r.Prefix);
        var now = after.Select(r => r.Prefix).ToHashSet();
        var changed = after.Count(r => !old.TryGetValue(r.Prefix, out var o) || !o.Equals(r));
        var removed = before.Count(r => !now.Contains(r.Prefix));
        return changed + removed;
    }

    private IEnumerable<string> NameClashes(IReadOnlyList<PeerRoutes> peers) =>
        peers.GroupBy(p => BirdPeerRenderer.ProtocolName(options.ProtocolPrefix, p.Peer.Name), StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"peers {string.Join(" and ", g.Select(p => p.Peer.Name))} would both be BIRD protocol {g.Key}: rename one");

    private async Task RestoreAsync(string? lastGood, CancellationToken cancellationToken)
    {
        // With no earlier file, an empty one is the safe fallback: BIRD's main config includes this path.
        await AtomicFile.WriteAsync(options.IncludePath, lastGood ?? BirdConfigRenderer.Render([], options.ProtocolPrefix, nodeName), cancellationToken)
            .ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "bird mode and resource peers: {Warnings}")]
    private static partial void LogNotRendered(ILogger logger, string warnings);

    [LoggerMessage(Level = LogLevel.Warning, Message = "BIRD rejected the generated routes ({Code}): {Reply}")]
    private static partial void LogRejected(ILogger logger, int code, string reply);

    [LoggerMessage(Level = LogLevel.Information, Message = "BIRD reconfigured with {Routes} routes ({Changes} changed) and {Peers} resource peers")]
    private static partial void LogApplied(ILogger logger, int routes, int peers, int changes);
}
