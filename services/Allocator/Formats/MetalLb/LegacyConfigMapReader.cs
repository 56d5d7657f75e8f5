using System.Text.Json.Nodes;
using Beacon.Allocator.Manifests;
using Beacon.Contracts;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>
/// Reads MetalLB ≤ 0.12's configuration: the ConfigMap metallb-system/config whose "config" key holds YAML with
/// address-pools, peers, bgp-communities and bfd-profiles. Malformed YAML inside it is a problem located at the
/// file's line (the key's line plus the line inside the block), never an exception. Pure.
/// </summary>
internal static class LegacyConfigMapReader
{
    private static readonly HashSet<string> TopLevel = new(StringComparer.Ordinal) { "address-pools", "peers", "bgp-communities", "bfd-profiles" };

    public static MetalLbConfig Read(ForeignResource configMap)
    {
        ArgumentNullException.ThrowIfNull(configMap);
        var what = configMap.Id;
        var problems = new List<ForeignProblem>();
        var empty = new MetalLbConfig([], [], [], [], new Dictionary<string, BfdProfileConfig>(), new Dictionary<string, string>(), problems);
        if (configMap.Body["data"]?["config"] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            problems.Add(new ForeignProblem(what, configMap.At(".data"), "data.config", "MetalLB's legacy ConfigMap needs a 'config' key holding its YAML configuration"));
            return empty;
        }

        // The reader records a block scalar at its first content line; lines inside the block count from there.
        var keyLine = configMap.Line == 0 ? 0 : (configMap.Lines?.GetValueOrDefault(".data.config", configMap.Line + 1) ?? configMap.Line + 1) - 1;
        var parsed = YamlManifestReader.Read(configMap.Source, text);
        foreach (var problem in parsed.Problems)
        {
            problems.Add(new ForeignProblem(what, $"{configMap.Source}:{keyLine + problem.Line}", "data.config", problem.Message));
        }

        if (parsed.Problems.Count > 0)
        {
            return empty;
        }

        if (parsed.Documents.Count == 0)
        {
            return empty;
        }

        if (parsed.Documents[0].Root is not JsonObject root)
        {
            problems.Add(new ForeignProblem(what, $"{configMap.Source}:{keyLine + parsed.Documents[0].Line}", "data.config", "must be a mapping (address-pools, peers, bgp-communities, bfd-profiles)"));
            return empty;
        }

        // The config's own paths, prefixed so ForeignResource.At finds their lines in the file.
        var lines = new Dictionary<string, int>(configMap.Lines ?? new Dictionary<string, int>(), StringComparer.Ordinal);
        foreach (var (path, line) in parsed.Documents[0].Lines)
        {
            lines[".data.config" + path] = keyLine + line;
        }

        var resource = configMap with { Lines = lines };
        MetalLbDeclaration At(string path, string detail) => new(resource, ".data.config" + path, $"{what} {detail}");
        foreach (var key in root.Select(kv => kv.Key).Where(k => !TopLevel.Contains(k)))
        {
            problems.Add(At(string.Empty, "config").Problem(key, "is not a MetalLB configuration key (address-pools, peers, bgp-communities, bfd-profiles); ignored", rejected: false));
        }

        var communities = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root["bgp-communities"] is JsonObject aliases)
        {
            foreach (var (name, alias) in aliases)
            {
                communities[name] = alias is JsonValue v && v.TryGetValue<string>(out var s) ? s : alias?.ToJsonString() ?? string.Empty;
            }
        }

        var bfd = new Dictionary<string, BfdProfileConfig>(StringComparer.Ordinal);
        var profiles = JsonFields.Objects(root, "bfd-profiles");
        for (var i = 0; i < profiles.Count; i++)
        {
            var name = JsonFields.String(profiles[i], "name");
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add(At($".bfd-profiles[{i}]", $"bfd-profiles[{i}]").Problem("name", "is required"));
                continue;
            }

            bfd[name] = MetalLbResourceReader.Bfd(name, profiles[i]);
        }

        var peers = new List<MetalLbPeer>();
        var peerList = JsonFields.Objects(root, "peers");
        for (var i = 0; i < peerList.Count; i++)
        {
            var p = peerList[i];
            var address = JsonFields.String(p, "peer-address");
            var declared = At($".peers[{i}]", $"peers[{i}]");
            peers.Add(new MetalLbPeer(
                declared,
                address ?? $"peers[{i}]",
                configMap.CreatedAt,
                JsonFields.Integer(p, "my-asn"),
                JsonFields.Integer(p, "peer-asn"),
                null,
                address,
                JsonFields.Integer(p, "peer-port"),
                JsonFields.String(p, "source-address"),
                JsonFields.String(p, "hold-time"),
                JsonFields.String(p, "keepalive-time"),
                JsonFields.Bool(p, "ebgp-multihop") ?? false,
                JsonFields.String(p, "vrf"),
                JsonFields.String(p, "password"),
                null,
                JsonFields.String(p, "bfd-profile"),
                JsonFields.Objects(p, "node-selectors").Select(JsonFields.Selector).ToList()));
        }

        var pools = new List<MetalLbPool>();
        var poolList = JsonFields.Objects(root, "address-pools");
        for (var i = 0; i < poolList.Count; i++)
        {
            var p = poolList[i];
            var name = JsonFields.String(p, "name");
            var declared = At($".address-pools[{i}]", $"address-pools[{i}]" + (name is null ? string.Empty : $" ({name})"));
            if (string.IsNullOrWhiteSpace(name))
            {
                problems.Add(declared.Problem("name", "is required"));
                continue;
            }

            var protocol = JsonFields.String(p, "protocol");
            if (protocol is not ("layer2" or "bgp"))
            {
                problems.Add(declared.Problem("protocol", protocol is null ? "is required: layer2 or bgp" : $"'{protocol}' is not layer2 or bgp"));
                continue;
            }

            var advertisements = JsonFields.Objects(p, "bgp-advertisements");
            if (protocol == "layer2" && advertisements.Count > 0)
            {
                problems.Add(declared.Problem("bgp-advertisements", "is only allowed with protocol: bgp"));
                continue;
            }

            var bgp = advertisements.Select((a, j) => new MetalLbBgpAdvertisement(
                    At($".address-pools[{i}].bgp-advertisements[{j}]", $"address-pools[{i}] ({name}) bgp-advertisements[{j}]"),
                    [name],
                    [],
                    [],
                    (int?)JsonFields.Integer(a, "aggregation-length"),
                    (int?)JsonFields.Integer(a, "aggregation-length-v6"),
                    JsonFields.Integer(a, "localpref"),
                    JsonFields.Strings(a, "communities"),
                    []))
                .ToList();
            if (protocol == "bgp" && bgp.Count == 0)
            {
                // MetalLB's default: one advertisement of each address as a host route to every peer.
                bgp.Add(new MetalLbBgpAdvertisement(declared, [name], [], [], null, null, null, [], []));
            }

            pools.Add(new MetalLbPool(
                declared,
                name,
                configMap.CreatedAt,
                new Dictionary<string, string>(),
                JsonFields.Strings(p, "addresses"),
                JsonFields.Bool(p, "auto-assign") ?? true,
                JsonFields.Bool(p, "avoid-buggy-ips") ?? false,
                null,
                protocol,
                bgp));
        }

        return new MetalLbConfig(pools, [], [], peers, bfd, communities, problems);
    }
}
