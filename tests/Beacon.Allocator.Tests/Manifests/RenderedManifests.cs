using System.Text.Json.Nodes;
using Beacon.Allocator.Manifests;
using Beacon.TestSupport.Processes;

namespace Beacon.Allocator.Tests.Manifests;

/// <summary>Runs <c>kubectl kustomize</c> on a directory under k8s/ and parses what it prints.</summary>
internal static class RenderedManifests
{
    public static IReadOnlyList<string> Roots { get; } = FindRoots();

    /// <summary>The overlay without node components (docs/operations.md, "Allocator-only deployment").</summary>
    public const string AllocatorOnly = "k8s/overlays/allocator-only";

    /// <summary>Every root that runs the NodeAgent and Announcer DaemonSets: all but <see cref="AllocatorOnly"/>.</summary>
    public static IReadOnlyList<string> NodeComponentRoots { get; } = [.. Roots.Where(r => r != AllocatorOnly)];

    public static IReadOnlyList<ManifestDocument> Render(string root)
    {
        var parsed = YamlManifestReader.Read(root, Kustomize.Render(RepositoryRoot.Combine(root)));
        if (parsed.Problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", parsed.Problems));
        }

        return parsed.Documents;
    }

    public static JsonObject Single(IEnumerable<ManifestDocument> documents, string kind, string name) =>
        documents.Single(d => d.Kind == kind && d.Root!["metadata"]!["name"]!.GetValue<string>() == name).Root!.AsObject();

    private static List<string> FindRoots()
    {
        var roots = new List<string> { "k8s" };
        var overlays = RepositoryRoot.Combine("k8s", "overlays");
        if (Directory.Exists(overlays))
        {
            roots.AddRange(Directory.GetDirectories(overlays)
                .Where(d => File.Exists(Path.Combine(d, "kustomization.yaml")))
                .Select(d => "k8s/overlays/" + Path.GetFileName(d))
                .Order(StringComparer.Ordinal));
        }

        return roots;
    }
}
