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
    private readonly Lock _gate = new();
    private bool _verified;

    public AddressPlumber(RouteNetlinkClient netlink, AddressMarking? marking = null, ILogger? logger = null)
    {
        _netlink = netlink ?? throw new ArgumentNullException(nameof(netlink));
        _logger = logger ?? NullLogger.Instance;
        Marking = marking ?? BeaconAddressMark.DetectRunningKernel();
        _verified = marking is not null;
    }

    public AddressMarking Marking { get; private set; }

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
        var link = _netlink.GetRequiredLink(interfaceName);
        var ipv4 = RtnetlinkCodec.FamilyOf(address) == RtnetlinkCodec.FamilyInet;
        var request = new AddressRequest(
            link.Index,
            address,
            prefixLength,
            validLifetime,
            preferredLifetime,
            Marking == AddressMarking.Protocol ? BeaconAddressMark.Protocol : (byte)0,
            Marking == AddressMarking.Label && ipv4 ? BeaconAddressMark.LabelFor(interfaceName) : null,
            SkipDuplicateAddressDetection: true,
            NoPrefixRoute: noPrefixRoute);
        try
        {
            _netlink.AddOrReplaceAddress(request);
        }
        catch (NetlinkException e)
        {
            throw new NetlinkException($"plumb {address}/{prefixLength} on {interfaceName} failed: {e.Message}", e);
        }

        lock (_gate)
        {
            if (Marking == AddressMarking.Label && !ipv4)
            {
                _unlabelledPlumbed.Add((link.Index, address, prefixLength));
            }
        }

        VerifyMarkingOnce(link.Index, address);
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
        var removed = 0;
        foreach (var ours in ListOurs(link.Index))
        {
            if (wanted.Contains((ours.Address, ours.PrefixLength)) && Remove(ours))
            {
                removed++;
            }
        }

        return removed;
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
    public int RemoveAllOurs(string? interfaceName = null)
    {
        var removed = 0;
        foreach (var ours in ListOurs(interfaceName))
        {
            if (Remove(ours))
            {
                removed++;
            }
        }

        return removed;
    }

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

    private bool Remove(InterfaceAddress ours)
    {
        lock (_gate)
        {
            _unlabelledPlumbed.Remove((ours.InterfaceIndex, ours.Address, ours.PrefixLength));
        }

        return _netlink.DeleteAddress(ours.InterfaceIndex, ours.Address, ours.PrefixLength);
    }

    /// <summary>
    /// A kernel older than its release string suggests (backports, patched builds) ignores IFA_PROTO silently:
    /// check the first address we add and fall back to labels if the mark did not stick.
    /// </summary>
    private void VerifyMarkingOnce(int index, IPAddress address)
    {
        if (_verified)
        {
            return;
        }

        _verified = true;
        if (Marking != AddressMarking.Protocol)
        {
            return;
        }

        var added = _netlink.ListAddresses(index).FirstOrDefault(a => a.Address.Equals(address));
        if (added is not null && added.Protocol != BeaconAddressMark.Protocol)
        {
            _logger.LogWarning("Kernel ignored IFA_PROTO on {Address}; marking Beacon's addresses with IPv4 labels instead", address);
            Marking = AddressMarking.Label;
            var link = _netlink.ListLinks().First(l => l.Index == index);
            _netlink.DeleteAddress(index, address, added.PrefixLength);
            Plumb(link.Name, address, added.PrefixLength, added.Lifetime.Valid ?? TimeSpan.FromMinutes(1));
        }
    }
}
