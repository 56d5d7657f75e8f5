using System.Net;
using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Exactly what one node should hold: won node-local addresses on its interface (role Owner) and remote addresses on
/// its dummy interface (role Member). Also records who won each node-local address, for status and metrics.
/// </summary>
public sealed class AddressPlan
{
    public static readonly AddressPlan Empty = new([], new Dictionary<IPAddress, string?>());

    public AddressPlan(IReadOnlyList<PlannedAddress> addresses, IReadOnlyDictionary<IPAddress, string?> owners)
    {
        Addresses = addresses;
        Owners = owners;
        ByPlumbing = addresses.ToDictionary(a => a.Plumbing);
    }

    /// <summary>What this node should hold, ordered by address.</summary>
    public IReadOnlyList<PlannedAddress> Addresses { get; }

    /// <summary>Every node-local address and the node that won it (null: no node qualifies).</summary>
    public IReadOnlyDictionary<IPAddress, string?> Owners { get; }

    public IReadOnlyDictionary<PlumbedAddress, PlannedAddress> ByPlumbing { get; }

    public int Count(AnnouncementRole role) => Addresses.Count(a => a.Role == role);

    /// <summary>Whether <paramref name="other"/> plans exactly this: the same addresses, roles, Services and owners.</summary>
    public bool SameAs(AddressPlan other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (Addresses.Count != other.Addresses.Count || Owners.Count != other.Owners.Count)
        {
            return false;
        }

        for (var i = 0; i < Addresses.Count; i++)
        {
            var (mine, theirs) = (Addresses[i], other.Addresses[i]);
            if (mine.Plumbing != theirs.Plumbing || mine.Role != theirs.Role || !mine.Services.SequenceEqual(theirs.Services))
            {
                return false;
            }
        }

        foreach (var (address, owner) in Owners)
        {
            if (!other.Owners.TryGetValue(address, out var theirs) || !string.Equals(owner, theirs, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// This plan without the node-local addresses of <paramref name="holders"/>, each recorded as still owned by its
    /// holder (a silent previous owner that still answers on the LAN), so the next pass probes it again.
    /// </summary>
    public AddressPlan Deferring(IReadOnlyDictionary<IPAddress, string> holders)
    {
        ArgumentNullException.ThrowIfNull(holders);
        var owners = new Dictionary<IPAddress, string?>(Owners);
        foreach (var (address, holder) in holders)
        {
            owners[address] = holder;
        }

        return new AddressPlan([.. Addresses.Where(a => a.Role != AnnouncementRole.Owner || !holders.ContainsKey(a.Plumbing.Address))], owners);
    }

    /// <summary>
    /// Plans for <paramref name="self"/>: a node-local address is ours when we win its election in <paramref name="view"/>
    /// (which must include our own report); a remote address goes on our dummy interface when the node selector selects
    /// us and, under Local policy, we have ready endpoints.
    /// </summary>
    public static AddressPlan For(IReadOnlyList<AddressDemand> demands, MembershipView view, LocalNode self)
    {
        ArgumentNullException.ThrowIfNull(demands);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(self);
        var addresses = new List<PlannedAddress>();
        var owners = new Dictionary<IPAddress, string?>();
        foreach (var demand in demands)
        {
            if (demand.Placement == AddressPlacement.Local)
            {
                var winner = Election.WinnerWhere(
                    demand.Address, view.Nodes, node => demand.Allows(node.Node) && Layer2Eligibility.Allows(demand.Layer2, node, node.InterfaceFor(demand.Address)));
                owners[demand.Address] = winner?.Node;
                if (winner is not null && winner.Node == self.Name)
                {
                    // On the interface that has the address's subnet (an LBNodeAgent may list several).
                    addresses.Add(new PlannedAddress(new PlumbedAddress(demand.Address, demand.PrefixLength, winner.InterfaceFor(demand.Address)), AnnouncementRole.Owner, demand.Services));
                }
            }
            else if (self.SelectorMatches && demand.Allows(self.Name))
            {
                addresses.Add(new PlannedAddress(new PlumbedAddress(demand.Address, demand.PrefixLength, self.DummyInterface), AnnouncementRole.Member, demand.Services));
            }
        }

        return new AddressPlan(addresses, owners);
    }
}
