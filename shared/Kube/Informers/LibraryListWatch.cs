using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Beacon.Kube.Library;
using Beacon.Kube.Models;
using WatchEventType = k8s.WatchEventType;
using k8s;
using k8s.Models;

namespace Beacon.Kube.Informers;

/// <summary>
/// List and watch of one resource through the official client's operations, mapped to Beacon's records at the edge.
/// </summary>
/// <typeparam name="TWatched">What the library's watch yields: the typed model, or a JSON element for custom objects.</typeparam>
public sealed class LibraryListWatch<TLibrary, TList, TWatched, T> : IListWatch<T>
    where TLibrary : IKubernetesObject<V1ObjectMeta>
    where TList : IKubernetesObject<V1ListMeta>, IItems<TLibrary>
    where TWatched : notnull
    where T : KubeObject
{
    private readonly Func<string?, int, CancellationToken, Task<TList>> list;
    private readonly Func<string?, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, TWatched)>> watch;
    private readonly Func<object, T> map;

    /// <param name="list">(continue token, page size) → one page.</param>
    /// <param name="watch">(resourceVersion, timeout seconds, onError) → the library's watch with bookmarks.</param>
    public LibraryListWatch(string resource, Func<string?, int, CancellationToken, Task<TList>> list,
        Func<string?, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, TWatched)>> watch, JsonTypeInfo<T> typeInfo)
        : this(resource, list, watch, MapThroughJson(typeInfo))
    {
    }

    /// <param name="map">Library object (list item or watched object) → record, for kinds with a direct mapping.</param>
    public LibraryListWatch(string resource, Func<string?, int, CancellationToken, Task<TList>> list,
        Func<string?, int, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, TWatched)>> watch, Func<object, T> map)
    {
        ArgumentException.ThrowIfNullOrEmpty(resource);
        Resource = resource;
        this.list = list ?? throw new ArgumentNullException(nameof(list));
        this.watch = watch ?? throw new ArgumentNullException(nameof(watch));
        this.map = map ?? throw new ArgumentNullException(nameof(map));
    }

    public string Resource { get; }

    public async Task<ListSnapshot<T>> ListAsync(int pageSize, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? next = null;
        string? version;
        do
        {
            var page = await list(next, pageSize, cancellationToken).ConfigureAwait(false);
            items.AddRange((page.Items ?? []).Select(i => map(i)));
            version = page.Metadata?.ResourceVersion;
            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));

        return new ListSnapshot<T>(items, version);
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string? resourceVersion, int timeoutSeconds, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (type, item) in watch(resourceVersion, timeoutSeconds, onError, cancellationToken).ConfigureAwait(false))
        {
            yield return (type, map(item));
        }
    }

    private static Func<object, T> MapThroughJson(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return item => ModelMapping.ToRecord(item, typeInfo);
    }
}
