using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// The replica's immutable map of Services: a hash array mapped trie (two levels of 32-way nodes with a bitmap each,
/// then buckets as bare arrays) whose slots hold the <see cref="AllocationChanged"/> itself, keyed by its own
/// <see cref="AllocationChanged.Service"/>. About 11 bytes per Service at 10,000 against the 56 of an
/// <c>ImmutableSortedDictionary</c> node (key, value, two children, height), and a change copies two small nodes and a
/// bucket, not a path of fourteen. Lookups scan a bucket (about ten Services at 10,000, a hundred at 100,000). A
/// <see cref="Builder"/> changes the nodes it made itself in place, so a batch of a thousand messages copies each node
/// once (a bucket, about ten references, is copied on each change).
/// <para>
/// Enumeration follows the hash of the Service's namespace and name (FNV-1a, the same in every process), not their
/// sort order: the replica's consumers (the node agent's address demand, the announcer's set builder) order what they
/// need themselves.
/// </para>
/// </summary>
public sealed class ServiceMap : IReadOnlyDictionary<ServiceKey, AllocationChanged>
{
    private const int Bits = 5;
    // Two 32-way levels, then a bucket (a list searched in order) per 1,024th of the hash space: about ten Services
    // each at 10,000. A deeper trie spent a node and an array on nearly every pair of Services sharing a bucket.
    private const int MaxShift = 5;

    private readonly Node _root;

    private ServiceMap(Node root, int count)
    {
        _root = root;
        Count = count;
    }

    public static ServiceMap Empty { get; } = new(new Node(0, [], null), 0);

    public int Count { get; }

    public IEnumerable<ServiceKey> Keys => Values.Select(v => v.Service);

    public IEnumerable<AllocationChanged> Values => Enumerate(_root);

    public AllocationChanged this[ServiceKey key] =>
        TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"Service {key} is not in the map");

    public bool ContainsKey(ServiceKey key) => TryGetValue(key, out _);

    public bool TryGetValue(ServiceKey key, [MaybeNullWhen(false)] out AllocationChanged value)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Find(_root, key, Hash(key), out value);
    }

    public IEnumerator<KeyValuePair<ServiceKey, AllocationChanged>> GetEnumerator() =>
        Values.Select(v => KeyValuePair.Create(v.Service, v)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public Builder ToBuilder() => new(this);

    /// <summary>A stable hash of the key (string.GetHashCode is seeded per process).</summary>
    internal static uint Hash(ServiceKey key)
    {
        var hash = 2166136261u;
        foreach (var c in key.Namespace)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash = (hash ^ '/') * 16777619u;
        foreach (var c in key.Name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        // FNV's low bits are its weakest; mix them so the trie's first levels spread.
        hash ^= hash >> 15;
        hash *= 0x2c1b3c6du;
        hash ^= hash >> 12;
        return hash;
    }

    private static bool Find(Node node, ServiceKey key, uint hash, [MaybeNullWhen(false)] out AllocationChanged value)
    {
        for (var shift = 0; ; shift += Bits)
        {
            var bit = Bit(hash, shift);
            if ((node.Bitmap & bit) == 0)
            {
                value = null;
                return false;
            }

            var found = node.Slots[Index(node.Bitmap, bit)];
            if (found is Node child)
            {
                node = child;
                continue;
            }

            if (found is AllocationChanged[] bucket)
            {
                foreach (var held in bucket)
                {
                    if (held.Service.Equals(key))
                    {
                        value = held;
                        return true;
                    }
                }

                value = null;
                return false;
            }

            value = (AllocationChanged)found;
            if (value.Service.Equals(key))
            {
                return true;
            }

            value = null;
            return false;
        }
    }

    private static IEnumerable<AllocationChanged> Enumerate(Node root)
    {
        var stack = new Stack<(Node Node, int Next)>();
        stack.Push((root, 0));
        while (stack.TryPop(out var top))
        {
            var (node, next) = top;
            for (var i = next; i < node.Slots.Length; i++)
            {
                switch (node.Slots[i])
                {
                    case Node child:
                        stack.Push((node, i + 1));
                        stack.Push((child, 0));
                        i = node.Slots.Length;
                        break;
                    case AllocationChanged[] bucket:
                        foreach (var held in bucket)
                        {
                            yield return held;
                        }

                        break;
                    case var value:
                        yield return (AllocationChanged)value;
                        break;
                }
            }
        }
    }

    private static uint Bit(uint hash, int shift) => 1u << (int)((hash >> shift) & 31);

    private static int Index(uint bitmap, uint bit) => BitOperations.PopCount(bitmap & (bit - 1));

    /// <summary>
    /// One trie node: slots are values, child nodes or (below the last level) buckets, one per set bit. A bucket is a
    /// bare <c>AllocationChanged[]</c> of two or more values in no order (no object around it: about 4 bytes per Service
    /// at 10,000), copied whenever it changes; only nodes are changed in place by the builder that made them.
    /// </summary>
    private sealed class Node(uint bitmap, object[] slots, object? owner)
    {
        public uint Bitmap = bitmap;
        public object[] Slots = slots;

        /// <summary>The builder that made this node and may change it in place; null once published.</summary>
        public readonly object? Owner = owner;
    }

    /// <summary>Changes a map without copying the nodes it made itself; <see cref="ToImmutable"/> publishes them.</summary>
    public sealed class Builder
    {
        private Node _root;
        private object _owner = new();

        internal Builder(ServiceMap map)
        {
            _root = map._root;
            Count = map.Count;
        }

        public int Count { get; private set; }

        public bool TryGetValue(ServiceKey key, [MaybeNullWhen(false)] out AllocationChanged value)
        {
            ArgumentNullException.ThrowIfNull(key);
            return Find(_root, key, Hash(key), out value);
        }

        /// <summary>Adds or replaces the Service of <paramref name="value"/>.</summary>
        public void Set(AllocationChanged value)
        {
            ArgumentNullException.ThrowIfNull(value);
            _root = Set(_root, value, Hash(value.Service), 0, out var added);
            if (added)
            {
                Count++;
            }
        }

        public bool Remove(ServiceKey key)
        {
            ArgumentNullException.ThrowIfNull(key);
            var root = Remove(_root, key, Hash(key), 0, out var removed);
            if (!removed)
            {
                return false;
            }

            _root = root ?? Empty._root;
            Count--;
            return true;
        }

        /// <summary>The map as built so far; later changes through this builder copy what they touch again.</summary>
        public ServiceMap ToImmutable()
        {
            _owner = new object();
            return Count == 0 ? Empty : new ServiceMap(_root, Count);
        }

        private Node Set(Node node, AllocationChanged value, uint hash, int shift, out bool added)
        {
            var bit = Bit(hash, shift);
            var index = Index(node.Bitmap, bit);
            if ((node.Bitmap & bit) == 0)
            {
                added = true;
                return Mutable(node, node.Bitmap | bit, Inserted(node.Slots, index, value));
            }

            var slot = node.Slots[index];
            if (slot is Node child)
            {
                var changed = Set(child, value, hash, shift + Bits, out added);
                return ReferenceEquals(changed, child) ? node : WithSlot(node, index, changed);
            }

            if (slot is AllocationChanged[] bucket)
            {
                for (var i = 0; i < bucket.Length; i++)
                {
                    if (bucket[i].Service.Equals(value.Service))
                    {
                        added = false;
                        var replaced = (AllocationChanged[])bucket.Clone();
                        replaced[i] = value;
                        return WithSlot(node, index, replaced);
                    }
                }

                added = true;
                return WithSlot(node, index, Inserted(bucket, bucket.Length, value));
            }

            var held = (AllocationChanged)slot;
            if (held.Service.Equals(value.Service))
            {
                added = false;
                return WithSlot(node, index, value);
            }

            added = true;
            return WithSlot(node, index, Pair(held, Hash(held.Service), value, hash, shift + Bits));
        }

        private Node? Remove(Node node, ServiceKey key, uint hash, int shift, out bool removed)
        {
            var bit = Bit(hash, shift);
            if ((node.Bitmap & bit) == 0)
            {
                removed = false;
                return node;
            }

            var index = Index(node.Bitmap, bit);
            var slot = node.Slots[index];
            object? replacement;
            if (slot is Node child)
            {
                var changed = Remove(child, key, hash, shift + Bits, out removed);
                if (!removed)
                {
                    return node;
                }

                // A child left with a single value gives it up: lookups stay as short as the map is sparse.
                replacement = changed is { Slots: [AllocationChanged only] } ? only : changed;
            }
            else if (slot is AllocationChanged[] bucket)
            {
                var at = Array.FindIndex(bucket, s => s.Service.Equals(key));
                removed = at >= 0;
                if (!removed)
                {
                    return node;
                }

                // A bucket left with one value becomes that value.
                replacement = bucket.Length == 2 ? bucket[1 - at] : Removed(bucket, at);
            }
            else
            {
                removed = ((AllocationChanged)slot).Service.Equals(key);
                if (!removed)
                {
                    return node;
                }

                replacement = null;
            }

            if (replacement is not null)
            {
                return WithSlot(node, index, replacement);
            }

            return node.Slots.Length == 1 ? null : Mutable(node, node.Bitmap & ~bit, Removed(node.Slots, index));
        }

        private object Pair(AllocationChanged a, uint hashA, AllocationChanged b, uint hashB, int shift)
        {
            if (shift > MaxShift)
            {
                return new[] { a, b };
            }

            var bitA = Bit(hashA, shift);
            var bitB = Bit(hashB, shift);
            if (bitA == bitB)
            {
                return new Node(bitA, [Pair(a, hashA, b, hashB, shift + Bits)], _owner);
            }

            return new Node(bitA | bitB, bitA < bitB ? [a, b] : [b, a], _owner);
        }

        private Node WithSlot(Node node, int index, object slot)
        {
            if (ReferenceEquals(node.Owner, _owner))
            {
                node.Slots[index] = slot;
                return node;
            }

            var slots = (object[])node.Slots.Clone();
            slots[index] = slot;
            return new Node(node.Bitmap, slots, _owner);
        }

        private Node Mutable(Node node, uint bitmap, object[] slots)
        {
            if (ReferenceEquals(node.Owner, _owner))
            {
                node.Bitmap = bitmap;
                node.Slots = slots;
                return node;
            }

            return new Node(bitmap, slots, _owner);
        }

        private static T[] Inserted<T>(T[] slots, int index, T value)
        {
            var copy = new T[slots.Length + 1];
            Array.Copy(slots, copy, index);
            copy[index] = value;
            Array.Copy(slots, index, copy, index + 1, slots.Length - index);
            return copy;
        }

        private static T[] Removed<T>(T[] slots, int index)
        {
            var copy = new T[slots.Length - 1];
            Array.Copy(slots, copy, index);
            Array.Copy(slots, index + 1, copy, index, slots.Length - index - 1);
            return copy;
        }
    }
}
