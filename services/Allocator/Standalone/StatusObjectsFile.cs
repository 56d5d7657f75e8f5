using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Allocator.Formats.Status;

namespace Beacon.Allocator.Standalone;

/// <summary>
/// Where the standalone Allocator shows the status objects a cluster would hold (ServiceL2Status, ServiceBGPStatus,
/// ConfigurationState): <c>&lt;state file&gt;.status.json</c> beside the state file, a Kubernetes <c>List</c> of
/// exactly those objects as <c>kubectl get -o json</c> prints them, so a user (and the lab) reads which node announces
/// which Service and to which peers without a cluster. Written atomically, and only when its content changes.
/// </summary>
internal sealed class StatusObjectsFile
{
    private string? written;

    public StatusObjectsFile(string stateFilePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateFilePath);
        var full = System.IO.Path.GetFullPath(stateFilePath);
        Path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, System.IO.Path.GetFileNameWithoutExtension(full) + ".status.json");
    }

    public string Path { get; }

    /// <summary>The file's text for <paramref name="objects"/>: items ordered as the builder orders them, the ConfigurationState last.</summary>
    public static string Render(StatusObjects objects, string @namespace)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var items = new JsonArray();
        foreach (var s in objects.Announcements)
        {
            var labels = new JsonObject();
            foreach (var (label, value) in s.Metadata.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                labels[label] = value;
            }

            items.Add(new JsonObject
            {
                ["apiVersion"] = s.ApiVersion,
                ["kind"] = s.Kind,
                ["metadata"] = new JsonObject { ["name"] = s.Metadata.Name, ["namespace"] = s.Metadata.Namespace, ["labels"] = labels },
                ["status"] = JsonSerializer.SerializeToNode(s.Status, StatusJsonContext.Default.AnnouncementStatusBody),
            });
        }

        items.Add(new JsonObject
        {
            ["apiVersion"] = "metallb.io/v1beta1",
            ["kind"] = "ConfigurationState",
            ["metadata"] = new JsonObject { ["name"] = Kubernetes.StatusObjectWriter.ConfigurationStateName, ["namespace"] = @namespace },
            ["status"] = JsonSerializer.SerializeToNode(objects.Configuration, StatusJsonContext.Default.ConfigurationState),
        });
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Replaces the file with <paramref name="text"/> unless it already holds it.</summary>
    public void Save(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text == written)
        {
            return;
        }

        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temp, text);
        File.Move(temp, Path, overwrite: true);
        written = text;
    }
}
