using Beacon.Contracts;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>One OpenELB BgpPeer as Beacon's peer (null when rejected) and every problem (rejections and warnings).</summary>
internal sealed record BgpPeerTranslation(BgpPeerConfig? Peer, IReadOnlyList<FieldProblem> Problems);
