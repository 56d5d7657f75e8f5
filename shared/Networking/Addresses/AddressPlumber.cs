using System.Net;
using Beacon.Networking.Netlink;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Networking.Addresses;

/// <summary>
/// Adds, refreshes and removes Beacon's own addresses, marked so that foreign addresses (the node's primary
/// address, an operator's manual one) are never listed, changed or removed. Addresses get a finite lifetime
/// which the caller refreshes by plumbing again; when the agent dies, the kernel removes them.
/// </summary>
public sealed class AddressPlumber
{
    private readonly RouteNetlinkClient _netlink;
    private readonly ILogger _logger;
    private readonly HashSet<(int Index, IPAddress Address, int Prefix)> _unlabelledPlumbed = [];
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Lock _markingGate = new(); // first-plumb verification, once, even with concurrent callers
    private bool _verified;

    public AddressPlumber(RouteNetlinkClient netlink, AddressMarking? marking = null, ILogger? logger = null)
    {
        _netlink = netlink ?? throw new ArgumentNullException(nameof(netlink));
        _logger = logger ?? NullLogger.Instance;
        Marking = marking ?? BeaconAddressMark.DetectRunningKernel();
        _verified = marking is not null;
    }

    private volatile AddressMarking _marking;

    public AddressMarking Marking
    {
        get => _marking;
        private set => _marking = value;
    }

    /// <summary>
    /// Adds the address or, when present, refreshes it (lifetimes restart). IPv6 skips DAD.
    /// <paramref name="preferredLifetime"/> defaults to the valid lifetime.
    /// </summary>
    public void Plumb(
        string interfaceName,
        IPAddress address,
        int prefixLength,
        TimeSpan validLifetime,
        bool noPrefixRoute = false,
        TimeSpan? preferredLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var failure = PlumbMany(interfaceName, [(address, prefixLength)], validLifetime, noPrefixRoute, preferredLifetime)[0];
        if (failure is not null)
        {
            throw failure;
        }
    }

    /// <summary>
    /// Plumbs or refreshes many addresses on one interface in pipelined netlink batches (1,000 in a few
    /// milliseconds of system calls). Returns one entry per address: null when plumbed, else why not.
    /// <paramref name="validLifetime"/> null is permanent.
    /// </summary>
    public IReadOnlyList<NetlinkException?> PlumbMany(
        string interfaceName,
        IReadOnlyList<(IPAddress Address, int PrefixLength)> addresses,
        TimeSpan? validLifetime,
        bool noPrefixRoute = false,
        TimeSpan? preferredLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Count == 0)
        {
            return [];
        }

        for (var attempt = 0; ; attempt++)
        {
            var index = InterfaceIndex(interfaceName);
            var requests = addresses.Select(a => new AddressRequest(
                index,
                a.Address,
                a.PrefixLength,
                validLifetime,
                preferredLifetime,
                Marking == AddressMarking.Protocol ? BeaconAddressMark.Protocol : (byte)0,
                Marking == AddressMarking.Label && IsIpv4(a.Address) ? BeaconAddressMark.LabelFor(interfaceName) : null,
                SkipDuplicateAddressDetection: true,
                NoPrefixRoute: noPrefixRoute)).ToList();
            var results = _netlink.AddOrReplaceAddresses(requests);
            if (attempt == 0 && results.Any(e => e?.Errno == NetlinkException.ENoDev))
            {
                ForgetInterface(interfaceName); // the interface was recreated under a new index
                continue;
            }

            lock (_gate)
            {
                for (var i = 0; i < results.Count; i++)
                {
                    if (results[i] is null && Marking == AddressMarking.Label && !IsIpv4(addresses[i].Address))
                    {
                        _unlabelledPlumbed.Add((index, addresses[i].Address, addresses[i].PrefixLength));
                    }
                }
            }

            var plumbed = Enumerable.Range(0, results.Count).Where(i => results[i] is null).ToList();
            if (plumbed.Count > 0 && !MarkingSticks(index, addresses[plumbed[0]].Address))
            {
                // Undo the unmarked batch and plumb it again with labels.
                _ = _netlink.DeleteAddresses([.. plumbed.Select(i => (index, addresses[i].Address, addresses[i].PrefixLength))]);
                continue;
            }

            return [.. results.Select((e, i) => e is null
                ? null
                : new NetlinkException($"plumb {addresses[i].Address}/{addresses[i].PrefixLength} on {interfaceName}", e.Errno, e.KernelMessage))];
        }
    }

    /// <summary>Removes the address if it is ours; a foreign address with the same value is left alone.</summary>
    public bool Unplumb(string interfaceName, IPAddress address, int prefixLength) =>
        UnplumbMany(interfaceName, [(address, prefixLength)]) == 1;

    /// <summary>Removes those of the given addresses that are ours on the interface (one dump, then deletes).</summary>
    public int UnplumbMany(string interfaceName, IEnumerable<(IPAddress Address, int PrefixLength)> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var link = _netlink.GetLink(interfaceName);
        if (link is null)
        {
            return 0;
        }

        var wanted = addresses.ToHashSet();
        return Remove([.. ListOurs(link.Index).Where(o => wanted.Contains((o.Address, o.PrefixLength)))]);
    }

    /// <summary>Our addresses on one interface (by name), or on all interfaces when null. Never foreign ones.</summary>
    public IReadOnlyList<InterfaceAddress> ListOurs(string? interfaceName = null)
    {
        if (interfaceName is null)
        {
            return ListOurs((int?)null);
        }

        var link = _netlink.GetLink(interfaceName);
        return link is null ? [] : ListOurs(link.Index);
    }

    /// <summary>Removes every address of ours (on one interface or everywhere); returns how many.</summary>
    public int RemoveAllOurs(string? interfaceName = null) => Remove(ListOurs(interfaceName));

    /// <summary>True when the kernel's record carries our mark.</summary>
    public bool IsOurs(InterfaceAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.Protocol == BeaconAddressMark.Protocol)
        {
            return true;
        }

        if (Marking != AddressMarking.Label)
        {
            return false;
        }

        if (address.Label is { } label && label.EndsWith(BeaconAddressMark.LabelSuffix, StringComparison.Ordinal))
        {
            return true;
        }

        lock (_gate)
        {
            return address.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 &&
                   _unlabelledPlumbed.Contains((address.InterfaceIndex, address.Address, address.PrefixLength));
        }
    }

    private IReadOnlyList<InterfaceAddress> ListOurs(int? index) => [.. _netlink.ListAddresses(index).Where(IsOurs)];

    private int Remove(IReadOnlyList<InterfaceAddress> ours)
    {
        lock (_gate)
        {
            foreach (var o in ours)
            {
                _unlabelledPlumbed.Remove((o.InterfaceIndex, o.Address, o.PrefixLength));
            }
        }

        var results = _netlink.DeleteAddresses([.. ours.Select(o => (o.InterfaceIndex, o.Address, o.PrefixLength))]);
        var failure = results.FirstOrDefault(e => e is not null);
        if (failure is not null)
        {
            throw failure;
        }

        return results.Count(e => e is null);
    }

    private int InterfaceIndex(string interfaceName)
    {
        lock (_gate)
        {
            if (_indexes.TryGetValue(interfaceName, out var cached))
            {
                return cached;
            }
        }

        var index = _netlink.GetRequiredLink(interfaceName).Index;
        lock (_gate)
        {
            _indexes[interfaceName] = index;
        }

        return index;
    }

    private void ForgetInterface(string interfaceName)
    {
        lock (_gate)
        {
            _indexes.Remove(interfaceName);
        }
    }

    private static bool IsIpv4(IPAddress address) => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;

    /// <summary>
    /// A kernel older than its release string suggests (backports, patched builds) ignores IFA_PROTO silently:
    /// check the first address we add and switch to labels if the mark did not stick. False means "switched".
    /// </summary>
    private bool MarkingSticks(int index, IPAddress address)
    {
        lock (_markingGate)
        {
            return MarkingSticksLocked(index, address);
        }
    }

    private bool MarkingSticksLocked(int index, IPAddress address)
    {
        if (_verified)
        {
            return true;
        }

        _verified = true;
        if (Marking != AddressMarking.Protocol)
        {
            return true;
        }

        var added = _netlink.ListAddresses(index).FirstOrDefault(a => a.Address.Equals(address));
        if (added is null || added.Protocol == BeaconAddressMark.Protocol)
        {
            return true;
        }

        _logger.LogWarning("Kernel ignored IFA_PROTO on {Address}; marking Beacon's addresses with IPv4 labels instead", address);
        Marking = AddressMarking.Label;
        return false;
    }
}
