using YamlDotNet.RepresentationModel;

namespace Beacon.Lab;

/// <summary>
/// A LoadBalancer Service as written in the lab's manifest directory: what the client should reach, and (from its
/// EndpointSlices) the nodes with a ready endpoint.
/// </summary>
public sealed record LabServiceManifest(string Namespace, string Name, IReadOnlyList<int> TcpPorts, bool LocalTrafficPolicy)
{
    public string Key => Namespace + "/" + Name;

    /// <summary>Nodes named by a ready endpoint of this Service's EndpointSlices.</summary>
    public IReadOnlyList<string> EndpointNodes { get; init; } = [];

    /// <summary>
    /// The nodes that advertise a routed address of this Service: every node under the Cluster policy, only the
    /// nodes with a ready endpoint under Local.
    /// </summary>
    public IReadOnlyList<string> AnnouncingNodes(IEnumerable<string> nodes) =>
        LocalTrafficPolicy ? nodes.Where(EndpointNodes.Contains).ToList() : nodes.ToList();

    /// <summary>Reads every LoadBalancer Service from the YAML files of <paramref name="directory"/>.</summary>
    public static IReadOnlyList<LabServiceManifest> ReadAll(string directory)
    {
        var services = new List<LabServiceManifest>();
        var endpointNodes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            foreach (var doc in stream.Documents)
            {
                if (doc.RootNode is not YamlMappingNode root)
                {
                    continue;
                }

                if (Scalar(root, "kind") == "EndpointSlice")
                {
                    CollectEndpointNodes(root, endpointNodes);
                    continue;
                }

                if (Scalar(root, "kind") != "Service")
                {
                    continue;
                }

                var meta = Child(root, "metadata");
                var spec = Child(root, "spec");
                if (meta is null || spec is null || Scalar(spec, "type") != "LoadBalancer")
                {
                    continue;
                }

                var ports = spec.Children.TryGetValue(new YamlScalarNode("ports"), out var p) && p is YamlSequenceNode seq
                    ? seq.Children.OfType<YamlMappingNode>()
                        .Where(m => (Scalar(m, "protocol") ?? "TCP") == "TCP")
                        .Select(m => int.Parse(Scalar(m, "port") ?? "0", System.Globalization.CultureInfo.InvariantCulture))
                        .ToList()
                    : [];
                services.Add(new LabServiceManifest(
                    Scalar(meta, "namespace") ?? "default",
                    Scalar(meta, "name") ?? "?",
                    ports,
                    Scalar(spec, "externalTrafficPolicy") == "Local"));
            }
        }

        return services
            .Select(s => s with { EndpointNodes = endpointNodes.TryGetValue(s.Key, out var n) ? n.Order(StringComparer.Ordinal).ToList() : [] })
            .ToList();
    }

    private static void CollectEndpointNodes(YamlMappingNode slice, Dictionary<string, HashSet<string>> byService)
    {
        var meta = Child(slice, "metadata");
        var labels = meta is null ? null : Child(meta, "labels");
        var service = labels is null ? null : Scalar(labels, "kubernetes.io/service-name");
        if (service is null || !slice.Children.TryGetValue(new YamlScalarNode("endpoints"), out var e) || e is not YamlSequenceNode endpoints)
        {
            return;
        }

        var key = (Scalar(meta!, "namespace") ?? "default") + "/" + service;
        foreach (var endpoint in endpoints.Children.OfType<YamlMappingNode>())
        {
            var conditions = Child(endpoint, "conditions");
            var ready = conditions is null || Scalar(conditions, "ready") != "false";
            if (ready && Scalar(endpoint, "nodeName") is { } node)
            {
                (byService.TryGetValue(key, out var set) ? set : byService[key] = new HashSet<string>(StringComparer.Ordinal)).Add(node);
            }
        }
    }

    private static YamlMappingNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;
}
