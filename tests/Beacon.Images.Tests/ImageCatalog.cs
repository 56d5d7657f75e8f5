using System.Text.Json.Nodes;
using Beacon.TestSupport.Processes;

namespace Beacon.Images.Tests;

/// <summary>images/images.json, the one place image names and tags are defined.</summary>
internal static class ImageCatalog
{
    public static string RepositoryRoot => ServiceBinaries.RepositoryRoot;

    public static string ArchiveDirectory { get; } = Path.Combine(RepositoryRoot, "artifacts", "images");

    private static readonly JsonObject Definitions =
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot, "images", "images.json")))!.AsObject();

    public static string Registry => Definitions["registry"]!.GetValue<string>();

    public static IReadOnlyList<ImageDefinition> Images { get; } = Definitions["images"]!.AsArray().Select(Parse).ToList();

    /// <summary>Upstream images Beacon's manifests use but do not build, each with the reason.</summary>
    public static IReadOnlyDictionary<string, string> External { get; } =
        Definitions["external"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());

    public static TheoryData<string> Names => new(Images.Select(i => i.Name));

    public static ImageDefinition Named(string name) => Images.Single(i => i.Name == name);

    private static ImageDefinition Parse(JsonNode? node)
    {
        var image = node!.AsObject();
        var name = image["name"]!.GetValue<string>();
        var tag = Definitions["tag"]!.GetValue<string>();
        return new ImageDefinition(
            name,
            $"{Definitions["registry"]!.GetValue<string>()}/{name}:{tag}",
            tag,
            Strings(image["entrypoint"]),
            image["user"]!.GetValue<string>(),
            Strings(image["capabilities"]),
            image["project"]?.GetValue<string>(),
            image["nativeAot"]?.GetValue<bool>() ?? false);
    }

    private static List<string> Strings(JsonNode? array) => array is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];
}
