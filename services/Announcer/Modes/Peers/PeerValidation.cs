using System.Net;
using Beacon.Contracts;

namespace Beacon.Announcer.Modes.Peers;

/// <summary>
/// Checks what of a peer ends up inside a daemon's configuration or command line. The Allocator validated the resource
/// already; this guards the node against a forged or newer message, so one bad peer is reported and left out instead
/// of breaking (or injecting into) the daemon's configuration. Pure.
/// </summary>
public static class PeerValidation
{
    /// <summary>The reason the peer cannot be rendered, or null.</summary>
    public static string? Problem(BgpPeerConfig peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        if (!IsName(peer.Name))
        {
            return $"peer name '{peer.Name}' is not a Kubernetes object name";
        }

        if (!IPAddress.TryParse(peer.PeerAddress, out _))
        {
            return $"peer '{peer.Name}': '{peer.PeerAddress}' is not an IP address";
        }

        if (peer.SourceAddress is { Length: > 0 } source && !IPAddress.TryParse(source, out _))
        {
            return $"peer '{peer.Name}': source address '{source}' is not an IP address";
        }

        if (peer.PeerPort is < 1 or > 65535)
        {
            return $"peer '{peer.Name}': port {peer.PeerPort} is not a TCP port";
        }

        foreach (var (what, text) in new[] { ("hold time", peer.HoldTime), ("keepalive time", peer.KeepaliveTime) })
        {
            if (text is { Length: > 0 } && GoDuration.Parse(text) is null)
            {
                return $"peer '{peer.Name}': {what} '{text}' is not a duration";
            }
        }

        if (peer.Vrf is { Length: > 0 } vrf && !Routing.RouteValidation.IsInterfaceName(vrf))
        {
            return $"peer '{peer.Name}': vrf '{vrf}' is not an interface name";
        }

        if (peer.Bfd is { } bfd && (!IsName(bfd.Name) || new[] { bfd.ReceiveInterval, bfd.TransmitInterval, bfd.DetectMultiplier, bfd.EchoInterval, bfd.MinimumTtl }.Any(v => v is < 1)))
        {
            return $"peer '{peer.Name}': BFD profile '{bfd.Name}' has a bad name or a value below 1";
        }

        return null;
    }

    /// <summary>A DNS-1123 subdomain, as Kubernetes object names are (what daemon identifiers are made of).</summary>
    public static bool IsName(string name) =>
        name.Length is > 0 and <= 253 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')
        && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);

    /// <summary>Whole seconds of a Go duration (daemons take seconds), or null when unset.</summary>
    public static int? Seconds(string? duration) =>
        GoDuration.Parse(duration) is { } t ? (int)Math.Round(t.TotalSeconds) : null;
}
