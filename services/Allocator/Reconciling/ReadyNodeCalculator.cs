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
                if (endpoint.NodeName is not { Length: > 0 } node || endpoint.Conditions?.Ready == false || endpoint.Addresses.Count == 0)
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
        if (node.Metadata.Labels?.ContainsKey(ExcludeLabel) == true)
        {
            return false;
        }

        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        return ready is null || ready.Status == "True";
    }
}
