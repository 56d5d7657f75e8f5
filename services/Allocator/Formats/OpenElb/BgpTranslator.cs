using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Contracts;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// OpenELB's BgpConf and BgpPeer (GoBGP's global and neighbor configuration in JSON) as Beacon's BGP peers: the same
/// <see cref="BgpPeerConfig"/> MetalLB's BGPPeer becomes, so rendering into bird/frr/gobgp is one code path. OpenELB reads
/// only the BgpConf named "default". Pure.
/// </summary>
internal static class BgpTranslator
{
    public const string DefaultConfName = "default";

    public static BgpConfTranslation TranslateConf(string name, JsonObject? spec)
    {
        ArgumentNullException.ThrowIfNull(name);
        BgpConfSpec parsed;
        try
        {
            parsed = (spec ?? []).Deserialize(OpenElbJsonContext.Default.BgpConfSpec) ?? new BgpConfSpec();
        }
        catch (JsonException e)
        {
            return new BgpConfTranslation(null, null, null, [Problem(e)]);
        }

        var problems = new List<FieldProblem>();
        if (!string.Equals(name, DefaultConfName, StringComparison.Ordinal))
        {
            problems.Add(new FieldProblem(string.Empty, "is ignored: only the BgpConf named 'default' configures the nodes' BGP (as in OpenELB)", Rejected: false));
        }

        uint? asn = null;
        if (parsed.As is not { } number)
        {
            problems.Add(new FieldProblem("spec.as", "is required (the nodes' own AS number)"));
        }
        else if (number is < 1 or > uint.MaxValue)
        {
            problems.Add(new FieldProblem("spec.as", $"{number} is not an AS number (1 to 4294967295)"));
        }
        else
        {
            asn = (uint)number;
        }

        if (parsed.RouterId is { Length: > 0 } routerId && !(IPAddress.TryParse(routerId, out var id) && id.AddressFamily == AddressFamily.InterNetwork))
        {
            problems.Add(new FieldProblem("spec.routerId", $"'{routerId}' is not an IPv4 address"));
        }

        if (parsed.ListenPort is { } port && port is < -1 or 0 or > 65535)
        {
            problems.Add(new FieldProblem("spec.listenPort", $"{port} is not a TCP port (1 to 65535, or -1 not to listen)"));
        }

        if (parsed.AsPerRack is { Count: > 0 })
        {
            problems.Add(new FieldProblem("spec.asPerRack", "is not supported: every node uses spec.as", Rejected: false));
        }

        if (parsed.GracefulRestart is not null || parsed.Policy is { Length: > 0 } || parsed.Families is { Count: > 0 })
        {
            problems.Add(new FieldProblem("spec", "gracefulRestart, policy and families are GoBGP settings Beacon does not render; the routing daemon's defaults apply", Rejected: false));
        }

        return problems.Any(p => p.Rejected)
            ? new BgpConfTranslation(null, null, null, problems)
            : new BgpConfTranslation(asn, parsed.RouterId is { Length: > 0 } r ? r : null, parsed.ListenPort, problems);
    }

    /// <param name="localAs">The AS from the BgpConf named "default", used when the peer gives no conf.localAs.</param>
    public static BgpPeerTranslation TranslatePeer(string name, JsonObject? spec, uint? localAs)
    {
        ArgumentNullException.ThrowIfNull(name);
        BgpPeerSpec parsed;
        try
        {
            parsed = (spec ?? []).Deserialize(OpenElbJsonContext.Default.BgpPeerSpec) ?? new BgpPeerSpec();
        }
        catch (JsonException e)
        {
            return new BgpPeerTranslation(null, [Problem(e)]);
        }

        var problems = new List<FieldProblem>();
        var conf = parsed.Conf ?? new BgpPeerConf();
        var peerAs = Asn(conf.PeerAs, "spec.conf.peerAs", required: true, problems);
        var myAs = Asn(conf.LocalAs, "spec.conf.localAs", required: false, problems) ?? localAs;
        if (myAs is null && conf.LocalAs is null)
        {
            problems.Add(new FieldProblem("spec.conf.localAs", "is not set and there is no BgpConf 'default' with spec.as to take it from"));
        }

        if (string.IsNullOrWhiteSpace(conf.NeighborAddress))
        {
            problems.Add(new FieldProblem("spec.conf.neighborAddress", conf.NeighborInterface is { Length: > 0 }
                ? "is required: Beacon does not peer by interface (neighborInterface)"
                : "is required (the peer's address)"));
        }
        else if (!IPAddress.TryParse(conf.NeighborAddress.Trim(), out _))
        {
            problems.Add(new FieldProblem("spec.conf.neighborAddress", $"'{conf.NeighborAddress}' is not an IP address"));
        }

        int? port = null;
        if (parsed.Transport?.RemotePort is { } remotePort)
        {
            if (remotePort is < 1 or > 65535)
            {
                problems.Add(new FieldProblem("spec.transport.remotePort", $"{remotePort} is not a TCP port (1 to 65535)"));
            }
            else
            {
                port = (int)remotePort;
            }
        }

        if (parsed.Transport?.LocalAddress is { Length: > 0 } source && !IPAddress.TryParse(source, out _))
        {
            problems.Add(new FieldProblem("spec.transport.localAddress", $"'{source}' is not an IP address"));
        }

        var hold = Seconds(parsed.Timers?.Config?.HoldTime, "spec.timers.config.holdTime", problems);
        var keepalive = Seconds(parsed.Timers?.Config?.KeepaliveInterval, "spec.timers.config.keepaliveInterval", problems);
        if (hold is > 0 and < 3)
        {
            problems.Add(new FieldProblem("spec.timers.config.holdTime", $"{hold} must be 0 or at least 3 seconds (RFC 4271)"));
        }

        if (hold is { } h && keepalive is { } k && h > 0 && k >= h)
        {
            problems.Add(new FieldProblem("spec.timers.config.keepaliveInterval", $"{k} must be lower than holdTime ({h})"));
        }

        var selector = parsed.NodeSelector?.ToSelector();
        if (selector is not null)
        {
            problems.AddRange(selector.Problems("spec.nodeSelector").Select(p => new FieldProblem("spec.nodeSelector", p)));
        }

        if (parsed.AfiSafis is { Count: > 0 } || parsed.GracefulRestart is not null)
        {
            problems.Add(new FieldProblem("spec", "afiSafis and gracefulRestart are GoBGP settings Beacon does not render; IPv4 and IPv6 unicast are announced as the addresses need", Rejected: false));
        }

        if (conf.AdminDown == true)
        {
            problems.Add(new FieldProblem("spec.conf.adminDown", "is true: the session is not configured"));
        }

        if (problems.Any(p => p.Rejected) || peerAs is null || myAs is null)
        {
            return new BgpPeerTranslation(null, problems);
        }

        var peer = new BgpPeerConfig(
            name,
            myAs.Value,
            peerAs.Value,
            conf.NeighborAddress!.Trim(),
            port,
            parsed.Transport?.LocalAddress is { Length: > 0 } local ? local : null,
            hold is { } holdSeconds ? $"{holdSeconds}s" : null,
            keepalive is { } keepaliveSeconds ? $"{keepaliveSeconds}s" : null,
            parsed.EbgpMultihop?.Enabled == true,
            conf.Vrf is { Length: > 0 } vrf ? vrf : null,
            HasInlinePassword: !string.IsNullOrEmpty(conf.AuthPassword),
            PasswordSecret: null,
            Bfd: null,
            selector is null || (selector.MatchLabels.Count == 0 && selector.MatchExpressions.Count == 0)
                ? []
                : [new NodeSelector(selector.MatchLabels, selector.MatchExpressions.Select(e => new NodeSelectorRequirement(e.Key, e.Operator, e.Values)).ToList())]);
        return new BgpPeerTranslation(peer, problems);
    }

    private static uint? Asn(long? value, string path, bool required, List<FieldProblem> problems)
    {
        if (value is not { } number)
        {
            if (required)
            {
                problems.Add(new FieldProblem(path, "is required (an AS number)"));
            }

            return null;
        }

        if (number is < 1 or > uint.MaxValue)
        {
            problems.Add(new FieldProblem(path, $"{number} is not an AS number (1 to 4294967295)"));
            return null;
        }

        return (uint)number;
    }

    /// <summary>GoBGP timers are seconds, written as a number or a string of digits ("90").</summary>
    private static long? Seconds(JsonNode? value, string path, List<FieldProblem> problems)
    {
        if (value is null)
        {
            return null;
        }

        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : value.ToJsonString();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 65535)
        {
            problems.Add(new FieldProblem(path, $"'{text}' is not a number of seconds (0 to 65535)"));
            return null;
        }

        return seconds;
    }

    private static FieldProblem Problem(JsonException e) =>
        new(e.Path is { Length: > 1 } p ? "spec" + p.TrimStart('$') : "spec", e.Message.Split(" Path:")[0]);
}
