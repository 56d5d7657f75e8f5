using YamlDotNet.RepresentationModel;

namespace Beacon.Lab;

/// <summary>A LoadBalancer Service as written in the lab's manifest directory: what the client should reach.</summary>
public sealed record LabServiceManifest(string Namespace, string Name, IReadOnlyList<int> TcpPorts, bool LocalTrafficPolicy)
{
    public string Key => Namespace + "/" + Name;

    /// <summary>Reads every LoadBalancer Service from the YAML files of <paramref name="directory"/>.</summary>
    public static IReadOnlyList<LabServiceManifest> ReadAll(string directory)
    {
        var services = new List<LabServiceManifest>();
        foreach (var file in Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(file))
            {
                stream.Load(reader);
            }

            foreach (var doc in stream.Documents)
            {
                if (doc.RootNode is not YamlMappingNode root || Scalar(root, "kind") != "Service")
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

        return services;
    }

    private static YamlMappingNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;
}
