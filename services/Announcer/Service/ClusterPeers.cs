using Beacon.Contracts;
using Beacon.Messaging;

namespace Beacon.Announcer.Service;

/// <summary>
/// The cluster's BGP peers as this node last read them from <c>beacon.v1.bgp.peers</c>: unknown (null) until the first
/// valid message, then each message replaces the whole set (a peer missing from it was deleted). A message that does
/// not decode, or arrives on another subject, leaves the set as it was and says why. Thread-safe: the stream reader
/// writes, the converger reads.
/// </summary>
public sealed class ClusterPeers
{
    private IReadOnlyList<BgpPeerConfig>? _current;

    /// <summary>Raised after the set changed (not for a message repeating the same set).</summary>
    public event EventHandler? Changed;

    /// <summary>Raised for every valid set, changed or not (the Allocator republishes at each leadership term).</summary>
    public event EventHandler? Received;

    /// <summary>The peers, or null while no set has been read.</summary>
    public IReadOnlyList<BgpPeerConfig>? Current => Volatile.Read(ref _current);

    /// <summary>Applies one message of the stream; returns why it was refused, or null.</summary>
    public DecodeError? Apply(BusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (next, error) = Reduce(Current, message);
        if (error is not null)
        {
            return error;
        }

        if (!ReferenceEquals(next, Current))
        {
            Volatile.Write(ref _current, next);
            Changed?.Invoke(this, EventArgs.Empty);
        }

        Received?.Invoke(this, EventArgs.Empty);
        return null;
    }

    /// <summary>The set after <paramref name="message"/>: its peers, or <paramref name="current"/> (same reference) when refused or unchanged. Pure.</summary>
    public static (IReadOnlyList<BgpPeerConfig>? Next, DecodeError? Error) Reduce(IReadOnlyList<BgpPeerConfig>? current, BusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Subject != Subjects.BgpPeers)
        {
            return (current, new DecodeError(DecodeErrorKind.SubjectMismatch, $"BGP peers arrived on {message.Subject}, not {Subjects.BgpPeers}"));
        }

        var decoded = CloudEventCodec.Decode(message.Payload.Span, EventTypes.BgpPeers);
        if (decoded.Error is { } error)
        {
            return (current, error);
        }

        var peers = decoded.Value!.Peers;
        if (peers.Any(p => p is null))
        {
            return (current, new DecodeError(DecodeErrorKind.InvalidData, "the BGP peer set holds a null peer"));
        }

        var duplicate = peers.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return (current, new DecodeError(DecodeErrorKind.InvalidData, $"BGP peer '{duplicate.Key}' appears twice in one set"));
        }

        return current is not null && Same(current, peers) ? (current, null) : (peers, null);
    }

    private static bool Same(IReadOnlyList<BgpPeerConfig> a, IReadOnlyList<BgpPeerConfig> b) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new BgpPeerSet(a), ContractsJsonContext.Default.BgpPeerSet).AsSpan()
            .SequenceEqual(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new BgpPeerSet(b), ContractsJsonContext.Default.BgpPeerSet));
}
