using Beacon.Allocator.Manifests;
using Beacon.Allocator.Standalone;
using Beacon.Contracts;
using Beacon.Ipam;
using YamlDotNet.Serialization;

namespace Beacon.Allocator.Formats.Import;

/// <summary>
/// Converts every foreign format <see cref="PoolFormats"/> reads into purelb.io/v1 ServiceGroups for users who move for
/// good: the same translation the Allocator runs, written out. What a ServiceGroup cannot say (advertisement node
/// selectors, interfaces, BGP peers and attributes) is kept as comments saying where it goes instead. A new format
/// plugs in by being added to <see cref="PoolFormats"/>: nothing here is format-specific. Pure apart from the caller's I/O.
/// </summary>
public static class ServiceGroupImport
{
    public static ImportResult Convert(IEnumerable<(string File, string Text)> files, string targetNamespace = "beacon-system")
    {
        ArgumentNullException.ThrowIfNull(files);
        var snapshot = ManifestCatalog.Build(files);
        var translation = PoolFormats.Default.Translate(snapshot.ForeignResources);
        var problems = snapshot.Problems
            .Where(p => !p.Message.Contains("is not something the Allocator reads", StringComparison.Ordinal))
            .Select(p => p.ToString())
            .Concat(translation.Problems.Where(p => p.Rejected).Select(p => p.ToString()))
            .ToList();

        // The engine's own checks (overlaps between pools, bad ranges) apply to the result exactly as in the Allocator.
        var catalog = ServiceGroupCatalog.Build(translation.Pools);
        var documents = new List<ImportedDocument>();
        foreach (var spec in translation.Pools)
        {
            var errors = catalog.ErrorsOf(spec.Name);
            if (errors.Count > 0)
            {
                problems.AddRange(errors.Select(e => $"{spec.Origin}: {spec.Kind} {spec.Name}: {e.Field}: {e.Message}"));
                continue;
            }

            var policy = translation.Announcements.GetValueOrDefault(spec.Name);
            var comments = new List<string> { $"From {spec.Kind} {spec.Name} ({spec.Origin})." };
            comments.AddRange(translation.Problems.Where(p => !p.Rejected && p.At == spec.Origin).Select(p => "Warning: " + p.Message));
            comments.AddRange(Comments(spec, policy));
            documents.Add(new ImportedDocument($"servicegroup-{spec.Name}.yaml", comments, Yaml(spec, policy, targetNamespace)));
        }

        problems.AddRange(translation.Problems.Where(p => !p.Rejected && !translation.Pools.Any(s => s.Origin == p.At)).Select(p => "warning: " + p));
        return new ImportResult(documents, problems);
    }

    private static IEnumerable<string> Comments(ServiceGroupSpec spec, AnnouncementPolicy? policy)
    {
        var allocation = spec.Allocation;
        if (allocation is not null && (allocation.NamespaceSelectors.Count > 1 || allocation.ServiceSelectors.Count > 1))
        {
            yield return "Warning: purelb.io/v1 takes one namespaceSelector and one serviceSelector; only the first of each is kept here "
                         + "(the Allocator reading the original honours all of them).";
        }

        if (allocation is not null && allocation.Namespaces.Count > 0 && allocation.NamespaceSelectors.Count > 0)
        {
            yield return "Warning: MetalLB admits a namespace that is listed OR selected; a ServiceGroup requires both.";
        }

        if (policy is null)
        {
            yield break;
        }

        if (!policy.Announced)
        {
            yield return "Not announced in the original (no advertisement covers it); as a ServiceGroup it is announced like any other.";
        }

        foreach (var l2 in policy.Layer2.Where(l => l.NodeSelectors.Count > 0 || l.Interfaces.Count > 0))
        {
            yield return $"Layer 2 by {l2.Source}: nodes {Selectors(l2.NodeSelectors)}, interfaces {(l2.Interfaces.Count == 0 ? "all" : string.Join(", ", l2.Interfaces))}: "
                         + "no ServiceGroup field; choose nodes and interface in the LBNodeAgent instead.";
        }

        foreach (var bgp in policy.Bgp)
        {
            var attributes = new List<string>();
            if (bgp.LocalPref is { } localPref)
            {
                attributes.Add($"localPref {localPref}");
            }

            if (bgp.Communities.Count > 0)
            {
                attributes.Add("communities " + string.Join(" ", bgp.Communities));
            }

            if (bgp.NodeSelectors.Count > 0)
            {
                attributes.Add("nodes " + Selectors(bgp.NodeSelectors));
            }

            attributes.Add("peers " + (bgp.Peers.Count == 0 ? "none configured" : string.Join(", ", bgp.Peers.Select(p => $"{p.Name} ({p.PeerAddress} AS{p.PeerAsn}, local AS{p.MyAsn}{(p.Bfd is null ? string.Empty : ", BFD " + p.Bfd.Name)})"))));
            yield return $"BGP by {bgp.Source}: {string.Join("; ", attributes)}: no ServiceGroup field; configure them in the routing daemon (bird/frr/gobgp).";
        }
    }

    private static string Selectors(IReadOnlyList<NodeSelector> selectors) => selectors.Count == 0
        ? "all"
        : string.Join(" or ", selectors.Select(s => "{" + string.Join(", ", s.MatchLabels.Select(kv => $"{kv.Key}={kv.Value}")
            .Concat(s.MatchExpressions.Select(e => $"{e.Key} {e.Operator} ({string.Join(",", e.Values)})"))) + "}"));

    private static string Yaml(ServiceGroupSpec spec, AnnouncementPolicy? policy, string targetNamespace)
    {
        static List<Dictionary<string, string>> Pools(IEnumerable<PoolSpec> pools) => pools
            .Select(p => new Dictionary<string, string> { ["subnet"] = p.Subnet ?? string.Empty, ["pool"] = p.Pool ?? string.Empty, ["aggregation"] = p.Aggregation ?? "default" })
            .ToList();

        var pools = new Dictionary<string, object>();
        // Single-pool forms (OpenELB Eips, PureLB v2 groups written with v4pool/v6pool) are kept as they are.
        if (spec.V4Pool is { } v4)
        {
            pools["v4pool"] = Pools([v4])[0];
        }

        if (spec.V6Pool is { } v6)
        {
            pools["v6pool"] = Pools([v6])[0];
        }

        if (spec.V4Pools.Count > 0)
        {
            pools["v4pools"] = Pools(spec.V4Pools);
        }

        if (spec.V6Pools.Count > 0)
        {
            pools["v6pools"] = Pools(spec.V6Pools);
        }

        // Routed (BGP) pools lie outside the nodes' subnets; layer-2 pools inside them.
        var body = new Dictionary<string, object> { [policy?.Bgp.Count > 0 ? "remote" : "local"] = pools };
        if (spec.AutoAssign == false)
        {
            body["autoAssign"] = false;
        }

        if (spec.AvoidBuggyIPs)
        {
            body["avoidBuggyIPs"] = true;
        }

        if (spec.Allocation is { } a)
        {
            var allocation = new Dictionary<string, object>();
            if (a.Priority is { } priority)
            {
                allocation["priority"] = priority;
            }

            if (a.Namespaces.Count > 0)
            {
                allocation["namespaces"] = a.Namespaces.ToList();
            }

            if ((a.NamespaceSelector ?? a.NamespaceSelectors.FirstOrDefault()) is { } ns)
            {
                allocation["namespaceSelector"] = Selector(ns);
            }

            if ((a.ServiceSelector ?? a.ServiceSelectors.FirstOrDefault()) is { } service)
            {
                allocation["serviceSelector"] = Selector(service);
            }

            if (allocation.Count > 0)
            {
                body["allocation"] = allocation;
            }
        }

        var document = new Dictionary<string, object>
        {
            ["apiVersion"] = "purelb.io/v1",
            ["kind"] = "ServiceGroup",
            ["metadata"] = new Dictionary<string, object> { ["name"] = spec.Name, ["namespace"] = targetNamespace },
            ["spec"] = body,
        };
        return new SerializerBuilder().WithQuotingNecessaryStrings().Build().Serialize(document);
    }

    private static Dictionary<string, object> Selector(Ipam.LabelSelector selector)
    {
        var result = new Dictionary<string, object>();
        if (selector.MatchLabels.Count > 0)
        {
            result["matchLabels"] = selector.MatchLabels.ToDictionary(kv => kv.Key, kv => kv.Value);
        }

        if (selector.MatchExpressions.Count > 0)
        {
            result["matchExpressions"] = selector.MatchExpressions
                .Select(e => new Dictionary<string, object> { ["key"] = e.Key, ["operator"] = e.Operator, ["values"] = e.Values.ToList() })
                .ToList();
        }

        return result;
    }
}
