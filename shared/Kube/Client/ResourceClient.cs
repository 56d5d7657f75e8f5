using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Beacon.Kube.Models;

namespace Beacon.Kube.Client;

/// <summary>Typed operations on one resource. Pass namespace null for cluster-scoped resources (or "all namespaces" on list/watch).</summary>
public sealed class ResourceClient<T>
    where T : KubeObject
{
    private readonly KubeApiClient _api;

    internal ResourceClient(KubeApiClient api, KubeResource<T> resource)
    {
        _api = api;
        Resource = resource;
    }

    public KubeResource<T> Resource { get; }

    public Task<T> GetAsync(string? @namespace, string name, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Get, Resource.ObjectPath(@namespace, name), null, Resource.TypeInfo, cancellationToken);

    /// <summary>Null when the object does not exist.</summary>
    public async Task<T?> TryGetAsync(string? @namespace, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetAsync(@namespace, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return null;
        }
    }

    /// <summary>One page (or everything when options.Limit is null). Items carry apiVersion/kind even when the server omits them.</summary>
    public async Task<KubeList<T>> ListAsync(string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ListOptions();
        var query = new QueryBuilder(Resource.CollectionPath(@namespace))
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("limit", options.Limit?.ToString(CultureInfo.InvariantCulture))
            .Add("continue", options.Continue)
            .Add("resourceVersion", options.ResourceVersion);
        var list = await _api.SendAsync(HttpMethod.Get, query.ToString(), null, Resource.ListTypeInfo, cancellationToken).ConfigureAwait(false);
        foreach (var item in list.Items)
        {
            // The API omits apiVersion/kind on list items of built-in types; events and owner references need them.
            Stamp(item);
        }

        return list;
    }

    /// <summary>Follows continue tokens until the end; the result carries the first page's resourceVersion (the snapshot to watch from).</summary>
    public async Task<KubeList<T>> ListAllAsync(string? @namespace, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ListOptions();
        var first = await ListAsync(@namespace, options, cancellationToken).ConfigureAwait(false);
        var next = first.Metadata.Continue;
        while (!string.IsNullOrEmpty(next))
        {
            var page = await ListAsync(@namespace, options with { Continue = next }, cancellationToken).ConfigureAwait(false);
            first.Items.AddRange(page.Items);
            next = page.Metadata.Continue;
        }

        first.Metadata.Continue = null;
        return first;
    }

    public Task<T> CreateAsync(T value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (Resource.Namespaced && string.IsNullOrEmpty(value.Metadata.Namespace))
        {
            throw new ArgumentException($"{Resource.Kind} is namespaced; set metadata.namespace before creating it.", nameof(value));
        }

        Stamp(value);
        return _api.SendAsync(HttpMethod.Post, Resource.CollectionPath(value.Metadata.Namespace),
            KubeApiClient.JsonContent(value, Resource.TypeInfo), Resource.TypeInfo, cancellationToken);
    }

    /// <summary>PUT of the whole object; fails with <see cref="KubeConflictException"/> when its resourceVersion is stale. Status changes are ignored by the server.</summary>
    public Task<T> UpdateAsync(T value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        Stamp(value);
        return _api.SendAsync(HttpMethod.Put, Resource.ObjectPath(value.Metadata.Namespace, NameOf(value)),
            KubeApiClient.JsonContent(value, Resource.TypeInfo), Resource.TypeInfo, cancellationToken);
    }

    /// <summary>PUT to the status subresource: only status changes are applied; stale resourceVersion → conflict.</summary>
    public Task<T> UpdateStatusAsync(T value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        Stamp(value);
        return _api.SendAsync(HttpMethod.Put, Resource.ObjectPath(value.Metadata.Namespace, NameOf(value), "status"),
            KubeApiClient.JsonContent(value, Resource.TypeInfo), Resource.TypeInfo, cancellationToken);
    }

    /// <summary>JSON merge patch (RFC 7386). subresource "status" patches the status.</summary>
    public Task<T> PatchAsync(string? @namespace, string name, JsonObject mergePatch, string? subresource = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mergePatch);
        return _api.SendAsync(HttpMethod.Patch, Resource.ObjectPath(@namespace, name, subresource),
            KubeApiClient.RawJsonContent(mergePatch.ToJsonString(), "application/merge-patch+json"), Resource.TypeInfo, cancellationToken);
    }

    /// <summary>Merge-patches annotations and/or labels; a null value removes the key.</summary>
    public Task<T> PatchMetadataAsync(string? @namespace, string name,
        IReadOnlyDictionary<string, string?>? annotations, IReadOnlyDictionary<string, string?>? labels = null,
        CancellationToken cancellationToken = default)
    {
        var metadata = new JsonObject();
        if (annotations is not null)
        {
            metadata["annotations"] = ToJson(annotations);
        }

        if (labels is not null)
        {
            metadata["labels"] = ToJson(labels);
        }

        return PatchAsync(@namespace, name, new JsonObject { ["metadata"] = metadata }, null, cancellationToken);
    }

    public Task DeleteAsync(string? @namespace, string name, CancellationToken cancellationToken = default) =>
        _api.SendWithoutResultAsync(HttpMethod.Delete, Resource.ObjectPath(@namespace, name), cancellationToken);

    /// <summary>
    /// Streams changes after options.ResourceVersion until the server ends the stream or the connection drops.
    /// A too-old resourceVersion throws <see cref="KubeGoneException"/>.
    /// </summary>
    public IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? @namespace, WatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WatchOptions();
        var query = new QueryBuilder(Resource.CollectionPath(@namespace))
            .Add("watch", "1")
            .Add("resourceVersion", options.ResourceVersion)
            .Add("allowWatchBookmarks", options.AllowBookmarks ? "true" : null)
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("timeoutSeconds", options.TimeoutSeconds?.ToString(CultureInfo.InvariantCulture));
        return StampAll(_api.WatchAsync(query.ToString(), Resource.TypeInfo, cancellationToken), cancellationToken);
    }

    private async IAsyncEnumerable<WatchEvent<T>> StampAll(IAsyncEnumerable<WatchEvent<T>> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var change in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Stamp(change.Object);
            yield return change;
        }
    }

    /// <summary>
    /// Read-modify-write of the status with optimistic concurrency: reads a fresh copy, applies mutate (return false
    /// for "nothing to change"), writes /status, and starts over on 409 Conflict. Returns the stored object.
    /// </summary>
    public Task<T> UpdateStatusWithRetryAsync(string? @namespace, string name, Func<T, bool> mutate, int maxAttempts = 10,
        CancellationToken cancellationToken = default) =>
        WriteWithRetryAsync(@namespace, name, mutate, UpdateStatusAsync, maxAttempts, cancellationToken);

    /// <summary>As <see cref="UpdateStatusWithRetryAsync"/>, for the main resource (spec/metadata).</summary>
    public Task<T> UpdateWithRetryAsync(string? @namespace, string name, Func<T, bool> mutate, int maxAttempts = 10,
        CancellationToken cancellationToken = default) =>
        WriteWithRetryAsync(@namespace, name, mutate, UpdateAsync, maxAttempts, cancellationToken);

    /// <summary>
    /// As <see cref="UpdateStatusWithRetryAsync(string?, string, Func{T, bool}, int, CancellationToken)"/>, but the first
    /// attempt mutates a copy of <paramref name="cached"/> (e.g. from an informer) instead of reading: one request when
    /// the cache is current, a fresh read only after a 409.
    /// </summary>
    public Task<T> UpdateStatusWithRetryAsync(T cached, Func<T, bool> mutate, int maxAttempts = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cached);
        return WriteWithRetryAsync(cached.Metadata.Namespace, NameOf(cached), mutate, UpdateStatusAsync, maxAttempts, cancellationToken, Clone(cached));
    }

    private async Task<T> WriteWithRetryAsync(string? @namespace, string name, Func<T, bool> mutate,
        Func<T, CancellationToken, Task<T>> write, int maxAttempts, CancellationToken cancellationToken, T? firstAttempt = null)
    {
        ArgumentNullException.ThrowIfNull(mutate);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        for (var attempt = 1; ; attempt++)
        {
            var current = attempt == 1 && firstAttempt is not null
                ? firstAttempt
                : await GetAsync(@namespace, name, cancellationToken).ConfigureAwait(false);
            if (!mutate(current))
            {
                return current;
            }

            try
            {
                return await write(current, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeConflictException) when (attempt < maxAttempts)
            {
                // Someone else wrote in between: start over from fresh state.
            }
        }
    }

    /// <summary>A deep copy (via JSON), for mutating objects read from an informer cache.</summary>
    public T Clone(T value) => Resource.Clone(value);

    private void Stamp(T value)
    {
        value.ApiVersion ??= Resource.ApiVersion;
        value.Kind ??= Resource.Kind;
    }

    private string NameOf(T value) =>
        value.Metadata.Name is { Length: > 0 } name ? name : throw new ArgumentException($"{Resource.Kind} has no metadata.name.", nameof(value));

    private static JsonObject ToJson(IReadOnlyDictionary<string, string?> values)
    {
        var result = new JsonObject();
        foreach (var (key, value) in values)
        {
            result[key] = value is null ? null : JsonValue.Create(value);
        }

        return result;
    }
}
