using System.Formats.Tar;
using System.Text.Json.Nodes;

namespace Beacon.Images.Tests;

/// <summary>An OCI archive (a tar of an OCI image layout) as written by the build: its index and its one image's config.</summary>
internal sealed class OciArchive
{
    private readonly Dictionary<string, byte[]> _entries;

    private OciArchive(Dictionary<string, byte[]> entries) => _entries = entries;

    public static OciArchive Read(string path)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var file = File.OpenRead(path);
        using var reader = new TarReader(file);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null)
                continue;
            using var copy = new MemoryStream();
            entry.DataStream.CopyTo(copy);
            entries[entry.Name.TrimStart('.', '/')] = copy.ToArray();
        }

        return new OciArchive(entries);
    }

    public IReadOnlyCollection<string> EntryNames => _entries.Keys;

    public JsonObject Index => Json("index.json");

    /// <summary>The index's single manifest descriptor (digest and annotations).</summary>
    public JsonObject ManifestDescriptor => Index["manifests"]!.AsArray().Single()!.AsObject();

    public JsonObject Manifest => Blob(ManifestDescriptor["digest"]!.GetValue<string>());

    /// <summary>The image configuration ("config" holds Entrypoint, Cmd, User, Env).</summary>
    public JsonObject Configuration => Blob(Manifest["config"]!["digest"]!.GetValue<string>());

    private JsonObject Blob(string digest) => Json(BlobPath(digest));

    private static string BlobPath(string digest) => "blobs/" + digest.Replace(':', '/');

    private JsonObject Json(string name) =>
        JsonNode.Parse(_entries.TryGetValue(name, out var bytes) ? bytes : throw new InvalidDataException($"the archive has no {name}"))!.AsObject();
}
