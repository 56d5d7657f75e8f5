namespace Beacon.Kube.Models;

/// <summary>A list response: items plus the resourceVersion to watch from and the paging token.</summary>
public sealed class KubeList<T>
    where T : KubeObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public ListMeta Metadata { get; set; } = new();

    public List<T> Items { get; set; } = [];
}
