using Beacon.Kube.Models;

namespace Beacon.Kube.Informers;

/// <summary>Read-only, thread-safe view of an informer's objects. Returned objects are shared: clone before mutating.</summary>
public interface IInformerCache<T>
    where T : KubeObject
{
    int Count { get; }

    T? Get(string? @namespace, string name);

    /// <summary>By cache key: "namespace/name", or "name" for cluster-scoped objects.</summary>
    T? GetByKey(string key);

    IReadOnlyList<T> List();

    IReadOnlyList<T> List(string @namespace);
}
