using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Ports;
using Beacon.Networking.Addresses;
using Beacon.Networking.Netlink;

namespace Beacon.NodeAgent.Kernel;

/// <summary>The agent's address table over rtnetlink: only addresses carrying Beacon's mark are listed or removed.</summary>
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

    public void Plumb(PlumbedAddress address, TimeSpan validLifetime) =>
        Kernel(() => { _plumber.Plumb(address.Interface, address.Address, address.PrefixLength, validLifetime); return 0; }, "plumb " + address);

    public bool Unplumb(PlumbedAddress address) =>
        Kernel(() => _plumber.Unplumb(address.Interface, address.Address, address.PrefixLength), "unplumb " + address);

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
