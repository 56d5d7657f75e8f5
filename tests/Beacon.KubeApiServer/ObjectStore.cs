using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>
/// The server's state: objects as JSON, one global resourceVersion counter bumped by every write, a bounded history
/// of writes for watch replay (older versions answer 410 Gone), and the open watches. All writes and watch
/// registrations happen under one lock, so every watcher sees every event exactly once, in order.
/// Stored JsonObjects are never mutated after being stored: writes store fresh copies.
/// </summary>
public sealed class ObjectStore
{
    private const int MaxSnapshots = 64;
    private readonly Lock _gate = new();
    private readonly Dictionary<ApiResourceInfo, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly ObjectValidator _validator;
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<WatchSubscription> _watchers = [];
    private readonly Dictionary<string, (IReadOnlyList<JsonObject> Items, long Version)> _snapshots = new(StringComparer.Ordinal);
    private readonly Queue<string> _snapshotOrder = new();
    private readonly TimeProvider _time;
    private readonly int _historyLimit;
    // Starts above 0 as etcd does: "0" in a watch means "any version" (synthetic ADDED events), so a list of an
    // empty store must not hand out "0" as the version to watch from.
    private long _version = 1;
    private long _compactedThrough;

    public ObjectStore(int historyLimit, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLimit, 1);
        _historyLimit = historyLimit;
        _time = time ?? TimeProvider.System;
        _validator = new ObjectValidator(Resources);
        foreach (var definition in ApiResourceCatalog.ManifestDefinitions)
        {
            Create(ApiResourceCatalog.CustomResourceDefinitions, null, definition);
        }
    }

    /// <summary>What this server serves: built-in resources and those of the CRDs it holds.</summary>
    public ResourceCatalog Resources { get; } = new();

    public long CurrentVersion
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>Watches from versions below this answer 410 Gone.</summary>
    public long CompactedThrough
    {
        get
        {
            lock (_gate)
            {
                return _compactedThrough;
            }
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public JsonObject Get(ApiResourceInfo resource, string? @namespace, string name) => (JsonObject)GetShared(resource, @namespace, name).DeepClone();

    /// <summary>The stored object itself, for serializing: stored objects are never mutated, callers must not either.</summary>
    internal JsonObject GetShared(ApiResourceInfo resource, string? @namespace, string name)
    {
        lock (_gate)
        {
            return Objects(resource).TryGetValue(StoredObject.Key(@namespace, name), out var item)
                ? item
                : throw ApiError.NotFound(resource, name);
        }
    }

    public JsonObject? TryGet(ApiResourceInfo resource, string? @namespace, string name)
    {
        lock (_gate)
        {
            return Objects(resource).TryGetValue(StoredObject.Key(@namespace, name), out var item) ? (JsonObject)item.DeepClone() : null;
        }
    }

    public JsonObject Create(ApiResourceInfo resource, string? @namespace, JsonObject body) =>
        (JsonObject)CreateShared(resource, @namespace, body, owned: false).DeepClone();

    /// <summary>POST. With <paramref name="owned"/> the body becomes the stored object (no copy); returns the stored object.</summary>
    internal JsonObject CreateShared(ApiResourceInfo resource, string? @namespace, JsonObject body, bool owned)
    {
        ObjectValidator.CheckType(resource, body);
        if (!string.IsNullOrEmpty(StoredObject.ResourceVersion(body)))
        {
            // etcd3 storage's ErrResourceVersionSetOnCreate, which the API server answers as an internal error.
            throw new ApiError(500, "InternalError", "Internal error occurred: resourceVersion should not be set on objects to be created");
        }

        var item = owned ? body : (JsonObject)body.DeepClone();
        var metadata = item["metadata"] as JsonObject ?? new JsonObject();
        item["metadata"] = metadata;
        item["kind"] = resource.Kind;
        item["apiVersion"] = resource.ApiVersion;
        if (resource.Namespaced)
        {
            var declared = (string?)metadata["namespace"];
            if (!string.IsNullOrEmpty(declared) && !string.IsNullOrEmpty(@namespace) && declared != @namespace)
            {
                throw ApiError.BadRequest($"the namespace of the provided object ({declared}) does not match the namespace sent on the request ({@namespace})");
            }

            @namespace = string.IsNullOrEmpty(@namespace) ? declared : @namespace;
            if (string.IsNullOrEmpty(@namespace))
            {
                throw ApiError.BadRequest($"{resource.Kind} is namespaced: a namespace is required.");
            }

            metadata["namespace"] = @namespace;
        }
        else
        {
            metadata.Remove("namespace");
            @namespace = null;
        }

        if (resource.ResetStatusOnCreate)
        {
            item.Remove("status");
        }

        lock (_gate)
        {
            var name = (string?)metadata["name"];
            if (string.IsNullOrEmpty(name))
            {
                var prefix = (string?)metadata["generateName"];
                if (string.IsNullOrEmpty(prefix))
                {
                    throw ApiError.Invalid($"{resource.Kind}: metadata.name or metadata.generateName is required.");
                }

                name = prefix + Guid.NewGuid().ToString("N")[..5];
                metadata["name"] = name;
            }

            _validator.Check(resource, item, @namespace);

            var key = StoredObject.Key(@namespace, name);
            if (Objects(resource).ContainsKey(key))
            {
                throw ApiError.AlreadyExists(resource, name);
            }

            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Timestamp();
            metadata["generation"] = 1;
            metadata.Remove("deletionTimestamp");
            if (resource == ApiResourceCatalog.CustomResourceDefinitions)
            {
                item["status"] = CustomResourceDefinition.EstablishedStatus(item);
                Resources.Define(item);
            }

            return Commit(resource, key, null, item, "ADDED");
        }
    }

    /// <summary>PUT: to the main resource (status changes ignored) or to /status (only status applied).</summary>
    public JsonObject Update(ApiResourceInfo resource, string? @namespace, string name, JsonObject body, bool statusOnly) =>
        (JsonObject)UpdateShared(resource, @namespace, name, body, statusOnly, owned: false).DeepClone();

    internal JsonObject UpdateShared(ApiResourceInfo resource, string? @namespace, string name, JsonObject body, bool statusOnly, bool owned)
    {
        var bodyName = (string?)body["metadata"]?["name"];
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiError.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        lock (_gate)
        {
            var key = StoredObject.Key(resource.Namespaced ? @namespace : null, name);
            if (!Objects(resource).TryGetValue(key, out var current))
            {
                throw ApiError.NotFound(resource, name);
            }

            var expected = (string?)body["metadata"]?["resourceVersion"];
            if (!string.IsNullOrEmpty(expected) && expected != StoredObject.ResourceVersion(current))
            {
                throw ApiError.Conflict(resource, name);
            }

            if (string.IsNullOrEmpty(expected) && resource.Custom)
            {
                // Custom resources do not allow unconditional updates (customResourceStrategy.AllowUnconditionalUpdate).
                throw ApiError.Invalid(resource, name, "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update");
            }

            return ApplyUpdate(resource, key, current, body, statusOnly, owned);
        }
    }

    /// <summary>RFC 7386 merge patch, to the main resource or /status. A resourceVersion in the patch is a precondition.</summary>
    public JsonObject Patch(ApiResourceInfo resource, string? @namespace, string name, JsonNode patch, bool statusOnly)
    {
        if (patch is not JsonObject)
        {
            throw ApiError.BadRequest("A merge patch must be a JSON object.");
        }

        return Patch(resource, @namespace, name, current => JsonMergePatch.Apply(current, patch) as JsonObject ?? throw ApiError.BadRequest("The patch did not produce an object."), statusOnly);
    }

    /// <summary>Any patch: <paramref name="apply"/> computes the new object from the current one, under the store lock.</summary>
    public JsonObject Patch(ApiResourceInfo resource, string? @namespace, string name, Func<JsonObject, JsonObject> apply, bool statusOnly) =>
        (JsonObject)PatchShared(resource, @namespace, name, apply, statusOnly).DeepClone();

    internal JsonObject PatchShared(ApiResourceInfo resource, string? @namespace, string name, Func<JsonObject, JsonObject> apply, bool statusOnly)
    {
        ArgumentNullException.ThrowIfNull(apply);
        lock (_gate)
        {
            var key = StoredObject.Key(resource.Namespaced ? @namespace : null, name);
            if (!Objects(resource).TryGetValue(key, out var current))
            {
                throw ApiError.NotFound(resource, name);
            }

            var candidate = apply(current);
            var expected = StoredObject.ResourceVersion(candidate);
            if (!string.IsNullOrEmpty(expected) && expected != StoredObject.ResourceVersion(current))
            {
                // A resourceVersion in the patch is a precondition.
                throw ApiError.Conflict(resource, name);
            }

            return ApplyUpdate(resource, key, current, candidate, statusOnly, owned: true);
        }
    }

    /// <summary>Deletes, or marks for deletion (deletionTimestamp) while finalizers remain.</summary>
    public JsonObject Delete(ApiResourceInfo resource, string? @namespace, string name) =>
        (JsonObject)DeleteShared(resource, @namespace, name).DeepClone();

    internal JsonObject DeleteShared(ApiResourceInfo resource, string? @namespace, string name)
    {
        lock (_gate)
        {
            var key = StoredObject.Key(resource.Namespaced ? @namespace : null, name);
            if (!Objects(resource).TryGetValue(key, out var current))
            {
                throw ApiError.NotFound(resource, name);
            }

            if (current["metadata"]?["finalizers"] is JsonArray { Count: > 0 })
            {
                if (current["metadata"]?["deletionTimestamp"] is not null)
                {
                    return current;
                }

                var marked = (JsonObject)current.DeepClone();
                marked["metadata"]!["deletionTimestamp"] = Timestamp();
                return Commit(resource, key, current, marked, "MODIFIED");
            }

            return Remove(resource, key, current);
        }
    }

    public ListPage List(ApiResourceInfo resource, string? @namespace, LabelSelectorQuery labels, FieldQuery fields, int? limit, string? continueToken)
    {
        lock (_gate)
        {
            IReadOnlyList<JsonObject> items;
            long version;
            var offset = 0;
            if (!string.IsNullOrEmpty(continueToken))
            {
                var (id, start) = DecodeContinue(continueToken);
                if (!_snapshots.TryGetValue(id, out var snapshot))
                {
                    throw ApiError.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
                }

                (items, version, offset) = (snapshot.Items, snapshot.Version, start);
            }
            else
            {
                items = [.. Objects(resource).Values.Where(item =>
                    (string.IsNullOrEmpty(@namespace) || StoredObject.Namespace(item) == @namespace)
                    && labels.Matches(StoredObject.Labels(item))
                    && fields.Matches(item))];
                version = _version;
            }

            if (limit is not > 0 || offset + limit.Value >= items.Count)
            {
                RemoveSnapshot(continueToken);
                return new ListPage(items.Skip(offset).ToList(), version, null, null);
            }

            var page = items.Skip(offset).Take(limit.Value).ToList();
            string snapshotId;
            if (string.IsNullOrEmpty(continueToken))
            {
                snapshotId = Guid.NewGuid().ToString("N");
                _snapshots[snapshotId] = (items, version);
                _snapshotOrder.Enqueue(snapshotId);
                while (_snapshotOrder.Count > MaxSnapshots)
                {
                    // Abandoned paged lists must not pin memory forever; their tokens then answer 410 like expired ones.
                    _snapshots.Remove(_snapshotOrder.Dequeue());
                }
            }
            else
            {
                snapshotId = DecodeContinue(continueToken).Id;
            }

            var next = offset + page.Count;
            return new ListPage(page, version, EncodeContinue(snapshotId, next), items.Count - next);
        }
    }

    /// <summary>
    /// Opens a watch. Empty or "0" resourceVersion: synthetic ADDED for current objects, then changes. Otherwise
    /// replays history after that version; 410 Gone when it is older than the retained history.
    /// </summary>
    public WatchSubscription Watch(ApiResourceInfo resource, string? @namespace, LabelSelectorQuery labels, FieldQuery fields, string? resourceVersion)
    {
        lock (_gate)
        {
            var subscription = new WatchSubscription(resource, @namespace, labels, fields, Unsubscribe);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var item in Objects(resource).Values.Where(subscription.Matches))
                {
                    subscription.OfferInitial("ADDED", item);
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw ApiError.BadRequest($"resourceVersion '{resourceVersion}' is not a valid resource version.");
                }

                if (from < _compactedThrough)
                {
                    throw ApiError.Expired($"too old resource version: {from} ({_compactedThrough})");
                }

                foreach (var change in _history.Where(e => e.Version > from))
                {
                    subscription.Offer(change);
                }
            }

            _watchers.Add(subscription);
            return subscription;
        }
    }

    /// <summary>Queues a bookmark at the current version; under the lock so it never overtakes an earlier event.</summary>
    public void Bookmark(WatchSubscription subscription)
    {
        lock (_gate)
        {
            subscription.OfferBookmark(_version);
        }
    }

    /// <summary>Forgets all history: watches from any version older than now answer 410 Gone; continue tokens expire.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _history.Clear();
            _compactedThrough = _version;
            _snapshots.Clear();
            _snapshotOrder.Clear();
        }
    }

    /// <summary>Abruptly ends every open watch connection.</summary>
    public int DropWatches()
    {
        WatchSubscription[] open;
        lock (_gate)
        {
            open = [.. _watchers];
        }

        // Outside the lock: cancelling runs the watch's cleanup, which unsubscribes. A watch dropped earlier whose
        // cleanup has not run yet (a loaded machine) is still listed but is not counted twice.
        return open.Count(watcher => watcher.Drop());
    }

    /// <summary>Retained writes, oldest first, optionally for one object.</summary>
    public IReadOnlyList<StoredEvent> History(ApiResourceInfo resource, string? @namespace = null, string? name = null)
    {
        lock (_gate)
        {
            return [.. _history.Where(e => e.Resource == resource
                && (@namespace is null || StoredObject.Namespace(e.Object) == @namespace)
                && (name is null || StoredObject.Name(e.Object) == name))];
        }
    }

    /// <summary>
    /// How many stored objects of a resource match, read in place: no copies, so a harness polling a large store
    /// (the allocator benchmark counts 10,000 Services every 250 ms) holds the store's lock only briefly. Copying
    /// every object under the lock, as <see cref="All"/> does, starved the API requests being measured.
    /// </summary>
    /// <param name="predicate">Reads the object only; it must not keep or change it.</param>
    public int Count(ApiResourceInfo resource, Func<JsonObject, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        lock (_gate)
        {
            return Objects(resource).Values.Count(predicate);
        }
    }

    public IReadOnlyList<JsonObject> All(ApiResourceInfo resource)
    {
        lock (_gate)
        {
            return [.. Objects(resource).Values.Select(item => (JsonObject)item.DeepClone())];
        }
    }

    private JsonObject ApplyUpdate(ApiResourceInfo resource, string key, JsonObject current, JsonObject body, bool statusOnly, bool owned)
    {
        JsonObject next;
        if (statusOnly)
        {
            next = (JsonObject)current.DeepClone();
            SetOrRemove(next, "status", body["status"]);
        }
        else
        {
            next = owned ? body : (JsonObject)body.DeepClone();
            next["kind"] = resource.Kind;
            next["apiVersion"] = resource.ApiVersion;
            var metadata = next["metadata"] as JsonObject ?? new JsonObject();
            next["metadata"] = metadata;
            var old = (JsonObject)current["metadata"]!;
            ObjectValidator.CheckType(resource, body);
            if ((string?)metadata["uid"] is { Length: > 0 } uid && uid != (string?)old["uid"])
            {
                throw ApiError.Invalid(resource, StoredObject.Name(current), $"metadata.uid: Invalid value: \"{uid}\": field is immutable");
            }

            var bodyNamespace = (string?)metadata["namespace"];
            if (!string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != (string?)old["namespace"])
            {
                throw ApiError.BadRequest($"the namespace of the provided object ({bodyNamespace}) does not match the namespace sent on the request ({(string?)old["namespace"]})");
            }

            foreach (var fixedField in new[] { "name", "namespace", "uid", "creationTimestamp", "generation", "deletionTimestamp" })
            {
                SetOrRemove(metadata, fixedField, old[fixedField]);
            }

            if (resource.HasStatus)
            {
                SetOrRemove(next, "status", current["status"]);
            }

            if (!JsonNode.DeepEquals(current["spec"], next["spec"]))
            {
                metadata["generation"] = Number(old["generation"], 1) + 1;
            }
        }

        next["metadata"]!["resourceVersion"] = StoredObject.ResourceVersion(current);
        _validator.Check(resource, next, StoredObject.Namespace(current));
        if (JsonNode.DeepEquals(current, next))
        {
            // A no-op write does not bump the resourceVersion or notify watchers, as in Kubernetes.
            return current;
        }

        if (next["metadata"]?["deletionTimestamp"] is not null && next["metadata"]?["finalizers"] is not JsonArray { Count: > 0 })
        {
            return Remove(resource, key, current);
        }

        if (resource == ApiResourceCatalog.CustomResourceDefinitions)
        {
            Resources.Define(next);
        }

        return Commit(resource, key, current, next, "MODIFIED");
    }

    private JsonObject Remove(ApiResourceInfo resource, string key, JsonObject current)
    {
        var gone = (JsonObject)current.DeepClone();
        Objects(resource).Remove(key);
        if (resource == ApiResourceCatalog.CustomResourceDefinitions)
        {
            // The real server deletes the custom objects along with their definition.
            foreach (var served in CustomResourceDefinition.Resources(current))
            {
                _objects.Remove(served);
            }

            Resources.Undefine(key);
        }

        _version++;
        gone["metadata"]!["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
        Record(new StoredEvent(_version, resource, "DELETED", gone, current));
        return gone;
    }

    private JsonObject Commit(ApiResourceInfo resource, string key, JsonObject? previous, JsonObject next, string type)
    {
        _version++;
        next["metadata"]!["resourceVersion"] = _version.ToString(CultureInfo.InvariantCulture);
        Objects(resource)[key] = next;
        Record(new StoredEvent(_version, resource, type, next, previous));
        return next;
    }

    private void Record(StoredEvent change)
    {
        _history.AddLast(change);
        while (_history.Count > _historyLimit)
        {
            _compactedThrough = _history.First!.Value.Version;
            _history.RemoveFirst();
        }

        foreach (var watcher in _watchers)
        {
            watcher.Offer(change);
        }
    }

    private void Unsubscribe(WatchSubscription subscription)
    {
        lock (_gate)
        {
            _watchers.Remove(subscription);
        }
    }

    private SortedDictionary<string, JsonObject> Objects(ApiResourceInfo resource)
    {
        if (!_objects.TryGetValue(resource, out var objects))
        {
            objects = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
            _objects[resource] = objects;
        }

        return objects;
    }

    private void RemoveSnapshot(string? continueToken)
    {
        if (!string.IsNullOrEmpty(continueToken))
        {
            _snapshots.Remove(DecodeContinue(continueToken).Id);
        }
    }

    private static long Number(JsonNode? node, long fallback) =>
        node is not null && long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static void SetOrRemove(JsonObject target, string field, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(field);
        }
        else
        {
            target[field] = value.DeepClone();
        }
    }

    private string Timestamp() => _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string EncodeContinue(string id, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{offset.ToString(CultureInfo.InvariantCulture)}"));

    private static (string Id, int Offset) DecodeContinue(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = text.LastIndexOf(':');
            return (text[..colon], int.Parse(text[(colon + 1)..], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw ApiError.BadRequest($"continue token '{token}' is not valid.");
        }
    }

}
