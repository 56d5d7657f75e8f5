using System.Text.Json.Nodes;

namespace Beacon.Allocator.Manifests;

/// <summary>
/// One YAML document of a manifest file as JSON, with the line each value starts on so problems found later
/// (schema, semantics) can still be reported as file:line.
/// </summary>
internal sealed class ManifestDocument
{
    public ManifestDocument(string source, int line, JsonNode? root, IReadOnlyDictionary<string, int> lines)
    {
        Source = source;
        Line = line;
        Root = root;
        Lines = lines;
    }

    /// <summary>File name (or other label) the document came from.</summary>
    public string Source { get; }

    /// <summary>1-based line where the document starts.</summary>
    public int Line { get; }

    /// <summary>The document's content; null for an empty document.</summary>
    public JsonNode? Root { get; }

    /// <summary>Start line by JSON path (".spec.local.v4pools[0].pool"; "" is the root).</summary>
    public IReadOnlyDictionary<string, int> Lines { get; }

    public string? Kind => (Root as JsonObject)?["kind"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public string? ApiVersion => (Root as JsonObject)?["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The line of the deepest known ancestor of <paramref name="path"/>.</summary>
    public int LineOf(string path)
    {
        var p = path;
        while (true)
        {
            if (Lines.TryGetValue(p, out var line))
            {
                return line;
            }

            if (p.Length == 0)
            {
                return Line;
            }

            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            p = cut <= 0 ? string.Empty : p[..cut];
        }
    }
}
