using Beacon.NodeAgent.Domain;
using Beacon.NodeAgent.Ports;

namespace Beacon.NodeAgent.Tests.Agent;

/// <summary>An in-memory kernel address table: ours and foreign addresses, with failures on demand.</summary>
internal sealed class FakeAddressTable : IAddressTable
{
    public Dictionary<PlumbedAddress, TimeSpan?> Ours { get; } = [];

    public HashSet<PlumbedAddress> Foreign { get; } = [];

    public List<string> Operations { get; } = [];

    public bool Fail { get; set; }

    public IReadOnlyList<PlumbedAddress> ListOurs(IReadOnlyCollection<string> interfaces)
    {
        ThrowIfFailing("list");
        return [.. Ours.Keys.Where(a => interfaces.Contains(a.Interface))];
    }

    /// <summary>One entry per batch the agent handed over: "plumb N" or "unplumb N".</summary>
    public List<string> Batches { get; } = [];

    /// <summary>Addresses the kernel refuses to plumb (the rest of the batch goes in).</summary>
    public HashSet<PlumbedAddress> Refused { get; } = [];

    public IReadOnlyList<PlumbingFailure> Plumb(IReadOnlyList<PlumbedAddress> addresses, AddressLifetimes lifetimes)
    {
        ThrowIfFailing("plumb");
        Batches.Add("plumb " + addresses.Count);
        var failures = new List<PlumbingFailure>();
        foreach (var address in addresses)
        {
            if (Refused.Contains(address))
            {
                failures.Add(new PlumbingFailure(address, "refused (test)"));
                continue;
            }

            Operations.Add((Ours.ContainsKey(address) ? "refresh " : "add ") + address);
            Ours[address] = lifetimes.Valid;
        }

        return failures;
    }

    public IReadOnlyList<PlumbingFailure> Unplumb(IReadOnlyList<PlumbedAddress> addresses)
    {
        ThrowIfFailing("unplumb");
        Batches.Add("unplumb " + addresses.Count);
        foreach (var address in addresses)
        {
            Operations.Add("remove " + address);
            Ours.Remove(address);
        }

        return [];
    }

    private void ThrowIfFailing(string what)
    {
        if (Fail)
        {
            throw new PlumbingFailedException(what + " failed (test)");
        }
    }
}
