namespace Beacon.Announcer.Modes;

/// <summary>
/// One way of making this node's addresses reachable: answering ARP/NDP (<c>l2</c>) or handing routes to a routing
/// daemon (<c>bird</c>, <c>frr</c>, <c>gobgp</c>). A node runs exactly one mode, chosen by configuration.
/// </summary>
/// <remarks>
/// <see cref="ApplyAsync"/> always receives the complete desired set, never a delta: a mode converges its daemon or
/// responder to that set (adding what is missing, removing what it added earlier and is no longer wanted). Applying
/// the same set twice changes nothing, so restarts and resyncs need no special path. Calls are never concurrent.
/// </remarks>
public interface IAnnouncerMode : IAsyncDisposable
{
    /// <summary>The configuration name of the mode (<c>l2</c>, <c>bird</c>, <c>frr</c>, <c>gobgp</c>).</summary>
    string Name { get; }

    /// <summary>Acquires what the mode needs (sockets, files); does not announce anything yet.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Converges to <paramref name="desired"/>. A failure the mode can describe (daemon down, config rejected) is
    /// returned, not thrown, and leaves the last good announcement in place; the caller retries with backoff.
    /// </summary>
    Task<ApplyOutcome> ApplyAsync(AnnouncementSet desired, CancellationToken cancellationToken);
}
