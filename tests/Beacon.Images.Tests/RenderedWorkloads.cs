using Beacon.TestSupport.Processes;
using YamlDotNet.RepresentationModel;

namespace Beacon.Images.Tests;

/// <summary>A container of a rendered workload, with the pod it belongs to.</summary>
internal sealed record RenderedContainer(string Workload, YamlMappingNode Pod, YamlMappingNode Container)
{
    public string Name => Container.Text("name")!;

    public string Image => Container.Text("image")!;
}

/// <summary>What <c>kubectl kustomize</c> renders for each root under k8s/ (the top level and every overlay).</summary>
internal static class RenderedWorkloads
{
    public static IReadOnlyList<string> Roots { get; } =
    [
        "k8s",
        .. Directory.GetDirectories(Path.Combine(ImageCatalog.RepositoryRoot, "k8s", "overlays"))
            .Where(d => File.Exists(Path.Combine(d, "kustomization.yaml")))
            .Select(d => "k8s/overlays/" + Path.GetFileName(d)).Order(StringComparer.Ordinal),
    ];

    /// <summary>The roots that deploy the node components (the allocator-only overlay deletes them: docs/operations.md).</summary>
    public static IReadOnlyList<string> WithNodeComponents { get; } = [.. Roots.Where(r => r != "k8s/overlays/allocator-only")];

    public static IReadOnlyList<YamlMappingNode> Render(string root)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Kustomize.Render(Path.Combine(ImageCatalog.RepositoryRoot, root))));
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static IEnumerable<RenderedContainer> Containers(IEnumerable<YamlMappingNode> objects) =>
        from o in objects
        where o.Text("kind") is "Deployment" or "DaemonSet" or "StatefulSet"
        let pod = o.Path("spec", "template", "spec")!
        from list in new[] { "initContainers", "containers" }
        from container in (pod.Child(list) as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? []
        select new RenderedContainer($"{o.Text("kind")}/{o.Path("metadata")!.Text("name")}", pod, container);

    public static YamlMappingNode Single(IEnumerable<YamlMappingNode> objects, string kind, string name) =>
        objects.Single(o => o.Text("kind") == kind && o.Path("metadata")!.Text("name") == name);
}

/// <summary>Small readers over YamlDotNet's representation model.</summary>
internal static class YamlNodes
{
    public static YamlNode? Child(this YamlMappingNode? node, string key) =>
        node is not null && node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static string? Text(this YamlMappingNode? node, string key) => (node.Child(key) as YamlScalarNode)?.Value;

    public static YamlMappingNode? Path(this YamlMappingNode? node, params string[] keys)
    {
        YamlMappingNode? current = node;
        foreach (var key in keys)
            current = current?.Child(key) as YamlMappingNode;
        return current;
    }

    public static List<string> Strings(this YamlMappingNode? node, string key) =>
        (node?.Child(key) as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Select(s => s.Value!).ToList() ?? [];
}
