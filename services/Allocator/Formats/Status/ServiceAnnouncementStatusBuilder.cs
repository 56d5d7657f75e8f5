using System.Security.Cryptography;
using System.Text;

namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// Per-Service announcement status in MetalLB's shapes, from what node agents report: one ServiceL2Status per Service
/// and node owning one of its addresses (with the interfaces it answers on), one ServiceBGPStatus per Service and node
/// carrying one for BGP (with the peers that node advertises to). Written only by the Allocator. Pure.
/// </summary>
internal static class ServiceAnnouncementStatusBuilder
{
    public const string NodeLabel = "metallb.io/node";
    public const string ServiceNameLabel = "metallb.io/service-name";
    public const string ServiceNamespaceLabel = "metallb.io/service-namespace";

    /// <param name="announcing">Every (Service, node, address) announced now, each with the BGP peers its node reported
    /// handing the route to: a ServiceBGPStatus lists every peer any of the Service's addresses goes to from that node.</param>
    /// <param name="namespace">Where the status objects live (the Allocator's namespace; MetalLB uses its own).</param>
    public static IReadOnlyList<ServiceAnnouncementStatus> Build(IEnumerable<AnnouncingNode> announcing, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(announcing);
        ArgumentNullException.ThrowIfNull(@namespace);
        return announcing
            .GroupBy(a => (a.Service, a.Node, a.Layer2))
            .OrderBy(g => g.Key.Service).ThenBy(g => g.Key.Node, StringComparer.Ordinal).ThenBy(g => g.Key.Layer2 ? 0 : 1)
            .Select(g =>
            {
                var (service, node, layer2) = g.Key;
                var kind = layer2 ? "ServiceL2Status" : "ServiceBGPStatus";
                return new ServiceAnnouncementStatus
                {
                    Kind = kind,
                    Metadata = new AnnouncementStatusMetadata(
                        NameOf(layer2 ? "l2" : "bgp", service.Namespace, service.Name, node),
                        @namespace,
                        new Dictionary<string, string>(StringComparer.Ordinal)
                        {
                            [NodeLabel] = node,
                            [ServiceNameLabel] = service.Name,
                            [ServiceNamespaceLabel] = service.Namespace,
                        }),
                    Status = new AnnouncementStatusBody
                    {
                        Node = node,
                        ServiceName = service.Name,
                        ServiceNamespace = service.Namespace,
                        Interfaces = layer2
                            ? g.Select(a => a.Interface).Where(i => i.Length > 0).Distinct(StringComparer.Ordinal)
                                .Order(StringComparer.Ordinal).Select(i => new InterfaceName(i)).ToList()
                            : null,
                        Peers = layer2 ? null : g.SelectMany(a => a.Peers ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                    },
                };
            })
            .ToList();
    }

    /// <summary>
    /// MetalLB uses generateName ("l2-", "bgp-"); Beacon derives the suffix from Service and node so re-applying the same
    /// status never creates a second object.
    /// </summary>
    public static string NameOf(string prefix, string serviceNamespace, string serviceName, string node)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{serviceNamespace}/{serviceName}@{node}"));
        return $"{prefix}-{Convert.ToHexStringLower(hash)[..10]}";
    }
}
