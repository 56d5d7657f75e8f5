namespace Beacon.Kube.Models;

/// <summary>One line of a watch stream. For Bookmark only Object.Metadata.ResourceVersion is meaningful.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Object)
    where T : KubeObject;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}
