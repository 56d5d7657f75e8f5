using System.Text.Json;
using Beacon.Kube.Json;
using Beacon.Kube.Models;

namespace Beacon.Allocator.Standalone;

/// <summary>
/// The standalone Allocator's memory across restarts: for each Service, the status and annotations it was given.
/// Written atomically (temp file in the same directory, fsync, rename), so a crash leaves either the old or the new
/// file, never a torn one. Stored as a Kubernetes ServiceList so it reads like <c>kubectl get svc -o json</c>.
/// </summary>
internal sealed class AssignmentStateFile
{
    public AssignmentStateFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    /// <summary>The saved Services (metadata and status only); empty when the file does not exist yet.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a state file.</exception>
    public IReadOnlyList<Service> Load()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            using var stream = File.OpenRead(Path);
            var list = JsonSerializer.Deserialize(stream, KubeJsonContext.Default.KubeListService);
            return list?.Items ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path} is not a Beacon state file: {e.Message}", e);
        }
    }

    public void Save(IEnumerable<Service> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var list = new KubeList<Service>
        {
            ApiVersion = "v1",
            Kind = "ServiceList",
            Items = services.OrderBy(s => s.Key, StringComparer.Ordinal).ToList(),
        };
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, list, KubeJsonContext.Default.KubeListService);
            // Data on disk before the rename makes it visible.
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, Path, overwrite: true);
    }
}
