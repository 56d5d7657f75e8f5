using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// Shares what thousands of allocations repeat (namespaces, pools, subnets, epochs, node and port lists) so a replica
/// holds each once: a decoded allocation keeps only what is its own (name, address). One per replica, not per
/// process, so the per-replica memory in docs/benchmarks.md is what an agent on its own node holds. Values are
/// immutable records and read-only lists, so sharing them is invisible to readers.
/// </summary>
internal sealed class AllocationInterner
{
    // Far above what 10,000s of Services repeat; past it (e.g. many epochs over a long life) start afresh.
    private const int MaxEntries = 50_000;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Port, string Protocol), ServicePort> _ports = [];
    private readonly Dictionary<IReadOnlyList<string>, IReadOnlyList<string>> _nodeLists = new(ListComparer<string>.Instance);
    private readonly Dictionary<IReadOnlyList<ServicePort>, IReadOnlyList<ServicePort>> _portLists = new(ListComparer<ServicePort>.Instance);

    public AllocationInterner() => _stringsByChars = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _stringsByChars;

    // Strings, ports and lists met lately, checked before the tables: nearly every message repeats them, and a hit
    // costs a byte comparison (strings) or a few reference comparisons (lists of interned items) instead of decoding
    // to chars and hashing. A miss falls through to the tables, so what comes out is the same either way.
    private readonly string?[] _recentStrings = new string?[64];
    private readonly ServicePort?[] _recentPorts = new ServicePort?[16];
    private IReadOnlyList<string>? _recentNodes;
    private IReadOnlyList<ServicePort>? _recentPortList;

    /// <summary>Scratch lists for <see cref="AllocationDataReader"/> (one reader per replica at a time).</summary>
    internal List<string> NodeBuffer { get; } = [];

    internal List<ServicePort> PortBuffer { get; } = [];

    /// <summary>Starts afresh when the tables have grown past what Services repeat (e.g. many epochs over a long life).</summary>
    public void Trim()
    {
        if (_strings.Count + _nodeLists.Count + _portLists.Count + _ports.Count > MaxEntries)
        {
            _strings.Clear();
            _nodeLists.Clear();
            _portLists.Clear();
            _ports.Clear();
            Array.Clear(_recentStrings);
            Array.Clear(_recentPorts);
            _recentNodes = null;
            _recentPortList = null;
        }
    }

    /// <summary>The shared string of these UTF-8 bytes; allocates only the first time.</summary>
    public string Intern(ReadOnlySpan<byte> utf8)
    {
        var slot = RecentSlot(utf8);
        if (_recentStrings[slot] is { } recent && recent.Length == utf8.Length && System.Text.Ascii.Equals(utf8, recent))
        {
            return recent;
        }

        return _recentStrings[slot] = InternDecoded(utf8);
    }

    private static int RecentSlot(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return 0;
        }

        var hash = (uint)utf8.Length;
        hash = (hash * 31) + utf8[0];
        hash = (hash * 31) + utf8[utf8.Length / 2];
        hash = (hash * 31) + utf8[^1];
        hash = (hash * 31) + utf8[Math.Max(0, utf8.Length - 2)];
        return (int)((hash ^ (hash >> 7)) & 63);
    }

    private string InternDecoded(ReadOnlySpan<byte> utf8)
    {
        Span<char> chars = utf8.Length <= 256 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        var count = System.Text.Encoding.UTF8.GetChars(utf8, chars);
        if (_stringsByChars.TryGetValue(chars[..count], out var held))
        {
            return held;
        }

        var value = new string(chars[..count]);
        _strings[value] = value;
        return value;
    }

    public ServicePort Port(int port, string protocol)
    {
        ref var recent = ref _recentPorts[port & 15];
        if (recent is { } r && r.Port == port && ReferenceEquals(r.Protocol, protocol))
        {
            return r;
        }

        if (!_ports.TryGetValue((port, protocol), out var held))
        {
            held = new ServicePort(port, Intern(protocol));
            _ports[(port, held.Protocol)] = held;
        }

        return recent = held;
    }

    /// <summary>The shared list with these nodes (compared by content); <paramref name="nodes"/> is only read.</summary>
    public IReadOnlyList<string> InternNodes(List<string> nodes) =>
        SameItems(_recentNodes, nodes) ? _recentNodes! : _recentNodes = InternList(_nodeLists, nodes, n => n);

    public IReadOnlyList<ServicePort> InternPorts(List<ServicePort> ports) =>
        SameItems(_recentPortList, ports) ? _recentPortList! : _recentPortList = InternList(_portLists, ports, p => p);

    /// <summary>The same items by reference: items made by this interner are equal only when they are the same object.</summary>
    private static bool SameItems<T>(IReadOnlyList<T>? recent, List<T> items)
        where T : class
    {
        if (recent is null || recent.Count != items.Count)
        {
            return false;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (!ReferenceEquals(recent[i], items[i]))
            {
                return false;
            }
        }

        return true;
    }

    public AllocationChanged Compact(AllocationChanged allocation)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        Trim();

        var addresses = new AllocatedAddress[allocation.Addresses.Count];
        for (var i = 0; i < addresses.Length; i++)
        {
            var a = allocation.Addresses[i];
            addresses[i] = a with { Pool = Intern(a.Pool), PoolSubnet = Intern(a.PoolSubnet) };
        }

        return allocation with
        {
            Service = new ServiceKey(Intern(allocation.Service.Namespace), allocation.Service.Name),
            Addresses = addresses,
            ServiceGroup = InternOrNull(allocation.ServiceGroup),
            Ports = InternList(_portLists, allocation.Ports, p => p with { Protocol = Intern(p.Protocol) }),
            ReadyNodes = InternList(_nodeLists, allocation.ReadyNodes, Intern),
            SharingKey = InternOrNull(allocation.SharingKey),
            Epoch = Intern(allocation.Epoch),
        };
    }

    private string Intern(string value)
    {
        if (_strings.TryGetValue(value, out var held))
        {
            return held;
        }

        _strings[value] = value;
        return value;
    }

    private string? InternOrNull(string? value) => value is null ? null : Intern(value);

    private static IReadOnlyList<T> InternList<T>(Dictionary<IReadOnlyList<T>, IReadOnlyList<T>> table, IReadOnlyList<T> list, Func<T, T> item)
    {
        if (table.TryGetValue(list, out var held))
        {
            return held;
        }

        var copy = new T[list.Count];
        for (var i = 0; i < copy.Length; i++)
        {
            copy[i] = item(list[i]);
        }

        table[copy] = copy;
        return copy;
    }

    private sealed class ListComparer<T> : IEqualityComparer<IReadOnlyList<T>>
    {
        public static ListComparer<T> Instance { get; } = new();

        public bool Equals(IReadOnlyList<T>? x, IReadOnlyList<T>? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.SequenceEqual(y));

        public int GetHashCode(IReadOnlyList<T> obj)
        {
            var hash = new HashCode();
            foreach (var item in obj)
            {
                hash.Add(item);
            }

            return hash.ToHashCode();
        }
    }
}
