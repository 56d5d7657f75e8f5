using System.Text.Json.Nodes;

namespace Beacon.Allocator.Formats;

/// <summary>
/// One object of another load balancer's configuration format (MetalLB, OpenELB, PureLB v2, …) exactly as written,
/// before any format reads it, with where it came from so every problem can name the file and line.
/// </summary>
/// <param name="Source">The file it was read from, or "api" for an object from the Kubernetes API.</param>
/// <param name="Line">1-based line where the object starts in <paramref name="Source"/> (0 when from the API).</param>
/// <param name="Lines">Start line by JSON path (".spec.addresses[0]"), for problems found deeper in the object.</param>
internal sealed record ForeignResource(
    string ApiVersion,
    string Kind,
    string? Namespace,
    string Name,
    DateTimeOffset? CreatedAt,
    IReadOnlyDictionary<string, string> Labels,
    JsonObject Body,
    string Source,
    int Line,
    IReadOnlyDictionary<string, int>? Lines = null)
{
    /// <summary>
    /// The modification time of the manifest file it was read from (standalone mode); null for an object from the API.
    /// Stands for <see cref="CreatedAt"/> where the manifest writes no <c>metadata.creationTimestamp</c>.
    /// </summary>
    public DateTimeOffset? WrittenAt { get; init; }

    /// <summary>
    /// When the object counts as created where "the older wins" (two resources claiming one BGP session):
    /// <c>metadata.creationTimestamp</c>, else the file's modification time; null when neither is known.
    /// </summary>
    public DateTimeOffset? Age => CreatedAt ?? WrittenAt;

    /// <summary>"Kind namespace/name" (or "Kind name" for a cluster-scoped object), as problems name it.</summary>
    public string Id => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";

    /// <summary>"file:line" of the object, or of <paramref name="path"/> inside it when that line is known.</summary>
    public string At(string path = "")
    {
        if (Line == 0)
        {
            return Source;
        }

        var p = path;
        while (Lines is not null && p.Length > 0)
        {
            if (Lines.TryGetValue(p, out var line))
            {
                return $"{Source}:{line}";
            }

            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut <= 0 ? string.Empty : p[..cut];
        }

        return $"{Source}:{Line}";
    }

    /// <summary>The object's spec (an empty object when it has none).</summary>
    public JsonObject Spec => Body["spec"] as JsonObject ?? [];
}
