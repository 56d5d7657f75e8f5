using System.Text.Json.Nodes;
using Beacon.Contracts;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>Reads metallb.io custom resources (already schema-checked) into <see cref="MetalLbConfig"/> parts. Pure.</summary>
internal static class MetalLbResourceReader
{
    public static MetalLbConfig Read(IEnumerable<ForeignResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var pools = new List<MetalLbPool>();
        var layer2 = new List<MetalLbL2Advertisement>();
        var bgp = new List<MetalLbBgpAdvertisement>();
        var peers = new List<MetalLbPeer>();
        var bfd = new Dictionary<string, BfdProfileConfig>(StringComparer.Ordinal);
        var communities = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<ForeignProblem>();
        foreach (var resource in resources.OrderBy(r => r.CreatedAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.Id, StringComparer.Ordinal))
        {
            var spec = resource.Spec;
            var declared = MetalLbDeclaration.Of(resource);
            switch (resource.Kind)
            {
                case MetalLbKinds.IPAddressPool:
                    pools.Add(new MetalLbPool(
                        declared,
                        resource.Name,
                        resource.CreatedAt,
                        resource.Labels,
                        JsonFields.Strings(spec, "addresses"),
                        JsonFields.Bool(spec, "autoAssign") ?? true,
                        JsonFields.Bool(spec, "avoidBuggyIPs") ?? false,
                        Allocation(spec["serviceAllocation"] as JsonObject)));
                    break;
                case MetalLbKinds.L2Advertisement:
                    layer2.Add(new MetalLbL2Advertisement(
                        declared,
                        JsonFields.Strings(spec, "ipAddressPools"),
                        Selectors(spec, "ipAddressPoolSelectors"),
                        Selectors(spec, "nodeSelectors"),
                        JsonFields.Strings(spec, "interfaces")));
                    break;
                case MetalLbKinds.BGPAdvertisement:
                    bgp.Add(new MetalLbBgpAdvertisement(
                        declared,
                        JsonFields.Strings(spec, "ipAddressPools"),
                        Selectors(spec, "ipAddressPoolSelectors"),
                        Selectors(spec, "nodeSelectors"),
                        (int?)JsonFields.Integer(spec, "aggregationLength"),
                        (int?)JsonFields.Integer(spec, "aggregationLengthV6"),
                        JsonFields.Integer(spec, "localPref"),
                        JsonFields.Strings(spec, "communities"),
                        JsonFields.Strings(spec, "peers")));
                    break;
                case MetalLbKinds.BGPPeer:
                    var secret = spec["passwordSecret"] as JsonObject;
                    peers.Add(new MetalLbPeer(
                        declared,
                        resource.Name,
                        resource.CreatedAt,
                        JsonFields.Integer(spec, "myASN"),
                        JsonFields.Integer(spec, "peerASN"),
                        JsonFields.String(spec, "dynamicASN"),
                        JsonFields.String(spec, "peerAddress"),
                        JsonFields.Integer(spec, "peerPort"),
                        JsonFields.String(spec, "sourceAddress"),
                        JsonFields.String(spec, "holdTime"),
                        JsonFields.String(spec, "keepaliveTime"),
                        JsonFields.Bool(spec, "ebgpMultiHop") ?? false,
                        JsonFields.String(spec, "vrf"),
                        JsonFields.String(spec, "password"),
                        secret is null ? null : $"{JsonFields.String(secret, "namespace") ?? resource.Namespace ?? "default"}/{JsonFields.String(secret, "name")}",
                        JsonFields.String(spec, "bfdProfile"),
                        Selectors(spec, "nodeSelectors")));
                    break;
                case MetalLbKinds.BFDProfile:
                    bfd[resource.Name] = Bfd(resource.Name, spec);
                    break;
                case MetalLbKinds.Community:
                    var entries = JsonFields.Objects(spec, "communities");
                    for (var i = 0; i < entries.Count; i++)
                    {
                        var name = JsonFields.String(entries[i], "name") ?? string.Empty;
                        var value = JsonFields.String(entries[i], "value") ?? string.Empty;
                        if (!communities.TryAdd(name, value))
                        {
                            problems.Add(declared.Problem($"communities[{i}].name", $"community alias '{name}' is already defined", rejected: false));
                        }
                    }

                    break;
            }
        }

        return new MetalLbConfig(pools, layer2, bgp, peers, bfd, communities, problems);
    }

    public static BfdProfileConfig Bfd(string name, JsonObject spec) => new(
        name,
        (int?)(JsonFields.Integer(spec, "receiveInterval") ?? JsonFields.Integer(spec, "receive-interval")),
        (int?)(JsonFields.Integer(spec, "transmitInterval") ?? JsonFields.Integer(spec, "transmit-interval")),
        (int?)(JsonFields.Integer(spec, "detectMultiplier") ?? JsonFields.Integer(spec, "detect-multiplier")),
        (int?)(JsonFields.Integer(spec, "echoInterval") ?? JsonFields.Integer(spec, "echo-interval")),
        JsonFields.Bool(spec, "echoMode") ?? JsonFields.Bool(spec, "echo-mode"),
        JsonFields.Bool(spec, "passiveMode") ?? JsonFields.Bool(spec, "passive-mode"),
        (int?)(JsonFields.Integer(spec, "minimumTtl") ?? JsonFields.Integer(spec, "minimum-ttl")));

    private static IReadOnlyList<LabelSelector> Selectors(JsonObject spec, string name) =>
        JsonFields.Objects(spec, name).Select(JsonFields.Selector).ToList();

    private static AllocationSpec? Allocation(JsonObject? allocation)
    {
        if (allocation is null)
        {
            return null;
        }

        // MetalLB: priority 0 (or none) comes after every pool with a priority, as "no priority" does in Beacon.
        var priority = JsonFields.Integer(allocation, "priority");
        return new AllocationSpec
        {
            Priority = priority is > 0 and <= int.MaxValue ? (int)priority : null,
            Namespaces = JsonFields.Strings(allocation, "namespaces"),
            NamespaceSelectors = Selectors(allocation, "namespaceSelectors"),
            ServiceSelectors = Selectors(allocation, "serviceSelectors"),
        };
    }
}
