using Beacon.Kube.Models;

namespace Beacon.Kube.Informers;

/// <summary>How an informer lists and watches one resource (through the official client), in Beacon's records.</summary>
public interface IListWatch<T>
    where T : KubeObject
{
    /// <summary>e.g. "services" or "servicegroups.purelb.io", for logs.</summary>
    string Resource { get; }

    /// <summary>Every object, in pages, with the resourceVersion of the snapshot.</summary>
    Task<ListSnapshot<T>> ListAsync(int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// Changes after <paramref name="resourceVersion"/>, with bookmarks. The library reports in-stream errors (such as
    /// 410 Gone) only to <paramref name="onError"/> and then ends the stream normally.
    /// </summary>
    IAsyncEnumerable<(k8s.WatchEventType Type, T Object)> WatchAsync(string? resourceVersion, int timeoutSeconds, Action<Exception> onError,
        CancellationToken cancellationToken);
}
