namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Which of our membership scopes a routine heartbeat goes to: one message per interval where one reaches every peer
/// (issue #15: a dual-stack node sent one per subnet, and each peer heard each twice). The heartbeat lists all our
/// subnets and a peer's membership is per node, not per scope, so a peer that hears it on any shared scope counts us
/// everywhere. It goes to our home scope (the first one warmed up), plus every scope we are still warming up (its peers
/// must hear us there before they can answer there), plus every scope with a live peer that is not in our home scope
/// (it listens only to its own scopes, so it would not hear the home one). News (link, candidacy, subnets counted,
/// leaving) and every liveness beat go to every scope instead; that also lets two nodes that share only a scope that
/// is neither's home find each other again after both lost track (at most one liveness interval).
/// Old agents publish into every scope and hear the home one: a mixed-version cluster keeps working.
/// </summary>
public static class RoutineHeartbeatScopes
{
    /// <param name="own">Our scopes, ordered.</param>
    /// <param name="warm">Whether we have warmed up in a scope (our echo came back there and we listened a full window).</param>
    /// <param name="peerInWithout">Whether a live peer is in the first scope but not in the second.</param>
    public static IReadOnlyList<string> For(IReadOnlyList<string> own, Func<string, bool> warm, Func<string, string, bool> peerInWithout)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(warm);
        ArgumentNullException.ThrowIfNull(peerInWithout);
        if (own.Count <= 1)
        {
            return own;
        }

        string? home = null;
        foreach (var scope in own)
        {
            if (warm(scope))
            {
                home = scope;
                break;
            }
        }

        if (home is null)
        {
            return own;
        }

        var to = new List<string>(own.Count);
        foreach (var scope in own)
        {
            if (scope == home || !warm(scope) || peerInWithout(scope, home))
            {
                to.Add(scope);
            }
        }

        return to;
    }
}
