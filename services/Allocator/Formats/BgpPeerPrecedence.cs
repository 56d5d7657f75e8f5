using System.Globalization;
using Beacon.Contracts;

namespace Beacon.Allocator.Formats;

/// <summary>
/// Which BGP peer keeps a daemon session when peers of different resources (a MetalLB BGPPeer and an OpenELB BgpPeer,
/// say) clash by name or by session (address, port, vrf): the older resource (<see cref="ForeignResource.Age"/>:
/// <c>creationTimestamp</c>, in the standalone directory else the file's modification time; unknown counts as
/// newest), ties broken by "Kind namespace/name" in ordinal order, then by peer name. Every other clashing peer is
/// rejected naming the one that kept the session, never dropped silently. The order resources are read in never
/// changes the outcome. Pure.
/// </summary>
internal static class BgpPeerPrecedence
{
    /// <param name="candidates">Every valid peer of every format.</param>
    /// <returns>The peers kept (sorted by name), the rejected ones with the peer that replaces each in advertisements
    /// (the winner of its session; null when only the name clashed: that session is not run), and the problems.</returns>
    public static BgpPeerResolution Resolve(IEnumerable<BgpPeerCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var kept = new List<BgpPeerCandidate>();
        var replaced = new List<(BgpPeerConfig Loser, BgpPeerConfig? Winner)>();
        var problems = new List<ForeignProblem>();
        foreach (var candidate in candidates.OrderBy(c => c.Origin?.Age is null ? 1 : 0)
                     .ThenBy(c => c.Origin?.Age ?? DateTimeOffset.MaxValue)
                     .ThenBy(c => c.Declarer, StringComparer.Ordinal)
                     .ThenBy(c => c.Peer.Name, StringComparer.Ordinal))
        {
            var winner = kept.FirstOrDefault(k => k.Peer.Name == candidate.Peer.Name || k.Session == candidate.Session);
            if (winner is null)
            {
                kept.Add(candidate);
                continue;
            }

            var sameSession = winner.Session == candidate.Session;
            replaced.Add((candidate.Peer, sameSession ? winner.Peer : null));
            var message = (winner.Peer.Name == candidate.Peer.Name
                    ? $"a BGP peer named '{candidate.Peer.Name}' is already configured by {winner.Declarer}"
                    : $"the same session ({candidate.Session}) is already configured by BGP peer '{winner.Peer.Name}' of {winner.Declarer}")
                + $", which keeps it: {Why(winner, candidate)}"
                + (sameSession ? "; delete one of them" : "; rename one of them");
            // A resource declaring several peers (MetalLB's legacy ConfigMap) gets the peer named too.
            problems.Add(candidate.Origin is { } origin
                ? ForeignProblem.Of(origin, string.Empty, origin.Name == candidate.Peer.Name ? message : $"BGP peer '{candidate.Peer.Name}': {message}")
                : new ForeignProblem(candidate.Declarer, string.Empty, string.Empty, message));
        }

        return new BgpPeerResolution([.. kept.Select(k => k.Peer).OrderBy(p => p.Name, StringComparer.Ordinal)], replaced, problems);
    }

    private static string Why(BgpPeerCandidate winner, BgpPeerCandidate loser) =>
        (winner.Origin?.Age, loser.Origin?.Age) switch
        {
            ({ } w, { } l) when w < l => $"it is older (created {Stamp(w)}, this one {Stamp(l)})",
            ({ } w, null) => $"it is older (created {Stamp(w)}, this one has no creation time)",
            _ => "both have the same creation time (or none), and its name comes first",
        };

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture);
}
