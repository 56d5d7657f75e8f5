using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Ports;
using Beacon.Networking.Addresses;
using Beacon.Networking.Netlink;

namespace Beacon.NodeAgent.Kernel;

/// <summary>
/// The agent's address table over rtnetlink: only addresses carrying Beacon's mark are listed or removed. Each batch
/// is one pipelined netlink exchange per interface (removal: one dump, then the deletes).
/// </summary>
public sealed class NetlinkAddressTable(AddressPlumber plumber) : IAddressTable
{
    private readonly AddressPlumber _plumber = plumber ?? throw new ArgumentNullException(nameof(plumber));

    public IReadOnlyList<PlumbedAddress> ListOurs(IReadOnlyCollection<string> interfaces)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        var ours = new List<PlumbedAddress>();
        foreach (var name in interfaces)
        {
            foreach (var address in Kernel(() => _plumber.ListOurs(name), "list addresses on " + name))
            {
                ours.Add(new PlumbedAddress(address.Address, address.PrefixLength, name));
            }
        }

        return ours;
    }

    public IReadOnlyList<PlumbingFailure> Plumb(IReadOnlyList<PlumbedAddress> addresses, AddressLifetimes lifetimes)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var failures = new List<PlumbingFailure>();
        foreach (var batch in addresses.GroupBy(a => a.Interface, StringComparer.Ordinal).Select(g => g.ToList()))
        {
            var results = Kernel(() => _plumber.PlumbMany(batch[0].Interface, [.. batch.Select(a => (a.Address, a.PrefixLength))], lifetimes.Valid, preferredLifetime: lifetimes.EffectivePreferred),
                $"plumb {batch.Count} addresses on {batch[0].Interface}");
            failures.AddRange(batch.Zip(results).Where(r => r.Second is not null).Select(r => new PlumbingFailure(r.First, r.Second!.Message)));
        }

        return failures;
    }

    public IReadOnlyList<PlumbingFailure> Unplumb(IReadOnlyList<PlumbedAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var failures = new List<PlumbingFailure>();
        foreach (var batch in addresses.GroupBy(a => a.Interface, StringComparer.Ordinal).Select(g => g.ToList()))
        {
            try
            {
                _ = _plumber.UnplumbMany(batch[0].Interface, batch.Select(a => (a.Address, a.PrefixLength)));
            }
            catch (Exception e) when (e is NetlinkException or System.Net.Sockets.SocketException)
            {
                // The kernel stops at the first refusal; the next pass lists again and retries what is left.
                failures.AddRange(batch.Select(a => new PlumbingFailure(a, e.Message)));
            }
        }

        return failures;
    }

    private static T Kernel<T>(Func<T> operation, string what)
    {
        try
        {
            return operation();
        }
        catch (NetlinkException e)
        {
            throw new PlumbingFailedException($"{what}: {e.Message}", e);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new PlumbingFailedException($"{what}: {e.Message}", e);
        }
    }
}
