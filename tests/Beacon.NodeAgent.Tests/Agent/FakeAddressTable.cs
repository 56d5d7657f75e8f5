using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Ports;

namespace Beacon.NodeAgent.Tests.Agent;

/// <summary>An in-memory kernel address table: ours and foreign addresses, with failures on demand.</summary>
internal sealed class FakeAddressTable : IAddressTable
{
    public Dictionary<PlumbedAddress, TimeSpan> Ours { get; } = [];

    public HashSet<PlumbedAddress> Foreign { get; } = [];

    public List<string> Operations { get; } = [];

    public bool Fail { get; set; }

    public IReadOnlyList<PlumbedAddress> ListOurs(IReadOnlyCollection<string> interfaces)
    {
        ThrowIfFailing("list");
        return [.. Ours.Keys.Where(a => interfaces.Contains(a.Interface))];
    }

    public void Plumb(PlumbedAddress address, TimeSpan validLifetime)
    {
        ThrowIfFailing("plumb");
        Operations.Add((Ours.ContainsKey(address) ? "refresh " : "add ") + address);
        Ours[address] = validLifetime;
    }

    public bool Unplumb(PlumbedAddress address)
    {
        ThrowIfFailing("unplumb");
        Operations.Add("remove " + address);
        return Ours.Remove(address);
    }

    private void ThrowIfFailing(string what)
    {
        if (Fail)
        {
            throw new PlumbingFailedException(what + " failed (test)");
        }
    }
}
