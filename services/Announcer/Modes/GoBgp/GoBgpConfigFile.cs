using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// gobgpd's TOML configuration file with Beacon's section: everything above <see cref="Marker"/> is the operator's
/// (global settings, their own neighbours) and kept byte for byte; below it, one <c>[[neighbors]]</c> table per
/// resource peer. gobgpd re-reads the file on SIGHUP and adds, deletes or updates only the neighbours that changed.
/// Pure.
/// </summary>
public static partial class GoBgpConfigFile
{
    public const string Marker = "# --- Beacon resource peers: written by the Announcer, edit above this line only ---";

    /// <summary>The operator's part of <paramref name="text"/>: all of it when it has no Beacon section.</summary>
    public static string OperatorPart(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? text : text[..at];
    }

    /// <summary>The neighbour addresses a TOML text configures (normalised), e.g. the operator's part.</summary>
    public static IReadOnlySet<string> NeighborAddresses(string toml)
    {
        ArgumentNullException.ThrowIfNull(toml);
        return NeighborAddress().Matches(toml)
            .Select(m => IPAddress.TryParse(m.Groups[1].Value, out var ip) ? ip.ToString() : m.Groups[1].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The whole file: the operator's part, the marker and the peers' neighbours.</summary>
    public static string Render(string operatorPart, IReadOnlyList<GoBgpPeer> peers, TimeSpan connectRetry)
    {
        ArgumentNullException.ThrowIfNull(operatorPart);
        ArgumentNullException.ThrowIfNull(peers);
        var text = new StringBuilder(operatorPart);
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }

        text.Append(Marker).Append('\n');
        var retry = Math.Max(1, (int)Math.Round(connectRetry.TotalSeconds));
        foreach (var peer in peers)
        {
            var i = CultureInfo.InvariantCulture;
            text.Append(i, $"\n# BGP peer {peer.Name}\n[[neighbors]]\n  [neighbors.config]\n    neighbor-address = {Quote(peer.Address)}\n");
            text.Append(i, $"    peer-as = {peer.PeerAsn}\n    local-as = {peer.LocalAsn}\n");
            if (peer.Password is not null)
            {
                text.Append(i, $"    auth-password = {Quote(peer.Password)}\n");
            }

            if (peer.Vrf is not null)
            {
                text.Append(i, $"    vrf = {Quote(peer.Vrf)}\n");
            }

            if (peer.Port is not null || peer.LocalAddress is not null)
            {
                text.Append("  [neighbors.transport.config]\n");
                if (peer.Port is { } port)
                {
                    text.Append(i, $"    remote-port = {port}\n");
                }

                if (peer.LocalAddress is { } local)
                {
                    text.Append(i, $"    local-address = {Quote(local)}\n");
                }
            }

            text.Append(i, $"  [neighbors.timers.config]\n    hold-time = {peer.HoldTime}\n    keepalive-interval = {peer.KeepaliveInterval}\n    connect-retry = {retry}\n");
            if (peer.MultihopTtl > 0)
            {
                text.Append(i, $"  [neighbors.ebgp-multihop.config]\n    enabled = true\n    multihop-ttl = {peer.MultihopTtl}\n");
            }

            text.Append(i, $"  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n      afi-safi-name = \"{(peer.IsIPv6 ? "ipv6" : "ipv4")}-unicast\"\n");
        }

        return text.ToString();
    }

    /// <summary>A TOML basic string: quotes, backslashes and control characters escaped, so no value can end it early.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when char.IsControl(c) => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    [GeneratedRegex("""^\s*neighbor-address\s*=\s*["']([^"']+)["']""", RegexOptions.Multiline)]
    private static partial Regex NeighborAddress();
}
