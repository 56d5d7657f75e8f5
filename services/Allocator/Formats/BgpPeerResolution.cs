using Beacon.Contracts;

namespace Beacon.Allocator.Formats;

/// <summary>What <see cref="BgpPeerPrecedence"/> decided.</summary>
/// <param name="Kept">The peers that run, sorted by name.</param>
/// <param name="Replaced">Each rejected peer with the peer advertisements naming it use instead (null: none).</param>
/// <param name="Problems">One rejection per peer not kept, naming the one that was.</param>
internal sealed record BgpPeerResolution(
    IReadOnlyList<BgpPeerConfig> Kept,
    IReadOnlyList<(BgpPeerConfig Loser, BgpPeerConfig? Winner)> Replaced,
    IReadOnlyList<ForeignProblem> Problems);
