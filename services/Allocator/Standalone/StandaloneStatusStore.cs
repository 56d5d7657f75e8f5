using Beacon.Kube.Models;

namespace Beacon.Allocator.Standalone;

/// <summary>
/// What the standalone Allocator has written for each Service (status and its own annotations): the stand-in for
/// the API server's copy of those fields. Thread-safe; persisted through <see cref="AssignmentStateFile"/>.
/// </summary>
internal sealed class StandaloneStatusStore
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Service> byKey = new(StringComparer.Ordinal);

    public StandaloneStatusStore(IEnumerable<Service> saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        foreach (var service in saved)
        {
            byKey[service.Key] = service;
        }
    }

    public bool Dirty { get; private set; }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return byKey.Count;
            }
        }
    }

    /// <summary>A copy of <paramref name="manifest"/> with the saved status and annotations laid over it.</summary>
    public Service Overlay(Service manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        lock (gate)
        {
            if (!byKey.TryGetValue(manifest.Key, out var saved))
            {
                return manifest;
            }

            var annotations = new Dictionary<string, string>(manifest.Metadata.Annotations ?? [], StringComparer.Ordinal);
            foreach (var (k, v) in saved.Metadata.Annotations ?? [])
            {
                annotations.TryAdd(k, v);
            }

            return new Service
            {
                ApiVersion = manifest.ApiVersion,
                Kind = manifest.Kind,
                Metadata = new ObjectMeta
                {
                    Name = manifest.Metadata.Name,
                    Namespace = manifest.Metadata.Namespace,
                    Labels = manifest.Metadata.Labels,
                    Annotations = annotations,
                    CreationTimestamp = manifest.Metadata.CreationTimestamp ?? saved.Metadata.CreationTimestamp,
                    Generation = manifest.Metadata.Generation,
                },
                Spec = manifest.Spec,
                Status = saved.Status,
            };
        }
    }

    public void Set(string key, string? @namespace, string? name, DateTimeOffset? created, ServiceStatus? status, IReadOnlyDictionary<string, string?> annotationChanges)
    {
        lock (gate)
        {
            if (!byKey.TryGetValue(key, out var saved))
            {
                saved = new Service
                {
                    ApiVersion = "v1",
                    Kind = "Service",
                    Metadata = new ObjectMeta { Name = name, Namespace = @namespace, CreationTimestamp = created },
                };
                byKey[key] = saved;
            }

            if (status is not null)
            {
                saved.Status = status;
            }

            saved.Metadata.Annotations ??= [];
            foreach (var (k, v) in annotationChanges)
            {
                if (v is null)
                {
                    saved.Metadata.Annotations.Remove(k);
                }
                else
                {
                    saved.Metadata.Annotations[k] = v;
                }
            }

            Dirty = true;
        }
    }

    /// <summary>A save failed: keep the changes pending.</summary>
    public void MarkDirty()
    {
        lock (gate)
        {
            Dirty = true;
        }
    }

    public void Remove(string key)
    {
        lock (gate)
        {
            Dirty |= byKey.Remove(key);
        }
    }

    public Service? Get(string key)
    {
        lock (gate)
        {
            return byKey.GetValueOrDefault(key);
        }
    }

    /// <summary>The entries to save, clearing the dirty flag; null when nothing changed since the last call.</summary>
    public IReadOnlyList<Service>? TakeChanges()
    {
        lock (gate)
        {
            if (!Dirty)
            {
                return null;
            }

            Dirty = false;
            return byKey.Values.ToList();
        }
    }
}
