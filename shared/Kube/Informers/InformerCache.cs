using Beacon.Kube.Models;

namespace Beacon.Kube.Informers;

/// <summary>The informer's store, keyed by namespace/name.</summary>
internal sealed class InformerCache<T> : IInformerCache<T>
    where T : KubeObject
{
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public T? Get(string? @namespace, string name) => GetByKey(ObjectKey.Of(@namespace, name));

    public T? GetByKey(string key)
    {
        lock (_gate)
        {
            return _items.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (_gate)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<T> List(string @namespace)
    {
        lock (_gate)
        {
            return [.. _items.Values.Where(item => item.Metadata.Namespace == @namespace)];
        }
    }

    /// <summary>Stores the object; returns the one it replaced.</summary>
    public T? Upsert(T value)
    {
        lock (_gate)
        {
            _items.TryGetValue(value.Key, out var previous);
            _items[value.Key] = value;
            return previous;
        }
    }

    public T? Remove(string key)
    {
        lock (_gate)
        {
            return _items.Remove(key, out var previous) ? previous : null;
        }
    }

    /// <summary>Replaces everything with a fresh list and returns the events that turn the old view into the new one.</summary>
    public List<InformerEvent<T>> Replace(IReadOnlyList<T> fresh)
    {
        var events = new List<InformerEvent<T>>();
        lock (_gate)
        {
            var freshKeys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in fresh)
            {
                freshKeys.Add(item.Key);
                if (!_items.TryGetValue(item.Key, out var previous))
                {
                    events.Add(new InformerEvent<T>(InformerEventType.Added, item));
                }
                else if (previous.Metadata.ResourceVersion != item.Metadata.ResourceVersion || previous.Metadata.Uid != item.Metadata.Uid)
                {
                    events.Add(new InformerEvent<T>(InformerEventType.Updated, item, previous));
                }
            }

            foreach (var (key, previous) in _items)
            {
                if (!freshKeys.Contains(key))
                {
                    events.Add(new InformerEvent<T>(InformerEventType.Deleted, previous));
                }
            }

            _items.Clear();
            foreach (var item in fresh)
            {
                _items[item.Key] = item;
            }
        }

        return events;
    }
}
