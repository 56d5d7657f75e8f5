using Beacon.Kube.Models;

namespace Beacon.Allocator.Reconciling;

/// <summary>
/// Which nodes have ready endpoints of a Service (what <c>externalTrafficPolicy: Local</c> needs). Pure.
/// An endpoint whose ready condition is absent counts as ready (API convention). When Nodes are known, nodes that
/// are missing, not Ready, or labelled to be excluded from external load balancers are left out.
/// </summary>
internal static class ReadyNodeCalculator
{
    public const string ExcludeLabel = "node.kubernetes.io/exclude-from-external-load-balancers";

    public static IReadOnlyList<string> ReadyNodes(IEnumerable<EndpointSlice> slicesOfService, IReadOnlyDictionary<string, Node>? nodes)
    {
        ArgumentNullException.ThrowIfNull(slicesOfService);
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var slice in slicesOfService)
        {
            foreach (var endpoint in slice.Endpoints ?? [])
            {
                if (endpoint?.NodeName is not { Length: > 0 } node || endpoint.Conditions?.Ready == false || endpoint.Addresses is not { Count: > 0 })
                {
                    continue;
                }

                if (nodes is null || (nodes.TryGetValue(node, out var n) && Eligible(n)))
                {
                    result.Add(node);
                }
            }
        }

        return result.ToList();
    }

    public static bool Eligible(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Metadata?.Labels?.ContainsKey(ExcludeLabel) == true)
        {
            return false;
        }

        var ready = node.Status?.Conditions?.FirstOrDefault(c => c?.Type == "Ready");
        return ready is null || ready.Status == "True";
    }

    /// <summary>The nodes' InternalIP addresses (to tell local addresses from routed ones); malformed entries are skipped.</summary>
    public static IReadOnlyList<System.Net.IPAddress> InternalAddresses(IEnumerable<Node> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var result = new List<System.Net.IPAddress>();
        foreach (var address in nodes.SelectMany(n => n?.Status?.Addresses ?? []))
        {
            if (address is { Type: "InternalIP" } && System.Net.IPAddress.TryParse(address.Address, out var parsed))
            {
                result.Add(parsed);
            }
        }

        return result;
    }
}
