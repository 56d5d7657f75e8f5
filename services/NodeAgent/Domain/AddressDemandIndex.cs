using System.Net;
using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// The demand (<see cref="AddressDemand.From"/>) kept up to date from one desired-state view to the next: only the
/// addresses of Services that were added, replaced or removed are resolved again; every other demand is the same
/// object as before, so a pass over 1,000 held Services after a burst's latest few arrived parses and groups a few
/// addresses, not 1,000. Unchanged Services are recognised by reference (the replica keeps the object of a Service
/// whose message did not change) or, failing that, by value. Equal to <see cref="AddressDemand.From"/> of the same view.
/// Not thread-safe: the agent loop is its only user.
/// </summary>
public sealed class AddressDemandIndex
{
    private Dictionary<ServiceKey, AllocationChanged> _services = [];
    private readonly Dictionary<IPAddress, SortedSet<ServiceKey>> _users = [];
    private readonly Dictionary<IPAddress, AddressDemand> _demands = [];
    private IReadOnlyList<AddressDemand> _ordered = [];

    /// <summary>The current demand, ordered by address.</summary>
    public IReadOnlyList<AddressDemand> Demands => _ordered;

    /// <summary>Addresses resolved again by the last <see cref="Update"/> (for tests and metrics).</summary>
    public int LastResolved { get; private set; }

    /// <summary>Makes the demand that of <paramref name="services"/> (a Service listed twice: the first counts, as in <see cref="AddressDemand.From"/>).</summary>
    public IReadOnlyList<AddressDemand> Update(IEnumerable<AllocationChanged> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var next = new Dictionary<ServiceKey, AllocationChanged>(_services.Count);
        var dirty = new HashSet<IPAddress>();
        foreach (var service in services)
        {
            if (!next.TryAdd(service.Service, service))
            {
                continue;
            }

            if (_services.TryGetValue(service.Service, out var before))
            {
                if (ReferenceEquals(before, service) || before == service)
                {
                    continue;
                }

                Forget(before, dirty);
            }

            Use(service, dirty);
        }

        foreach (var (key, before) in _services)
        {
            if (!next.ContainsKey(key))
            {
                Forget(before, dirty);
            }
        }

        _services = next;
        var addressesChanged = false;
        foreach (var address in dirty)
        {
            var demand = _users.TryGetValue(address, out var users) ? AddressDemand.For(address, users.Select(k => _services[k])) : null;
            if (demand is null)
            {
                addressesChanged |= _demands.Remove(address);
            }
            else
            {
                addressesChanged |= !_demands.ContainsKey(address);
                _demands[address] = demand;
            }
        }

        LastResolved = dirty.Count;
        if (addressesChanged)
        {
            _ordered = [.. _demands.Values.OrderBy(d => d.Address, AddressOrder.Instance)];
        }
        else if (dirty.Count > 0)
        {
            _ordered = [.. _ordered.Select(d => _demands[d.Address])];
        }

        return _ordered;
    }

    private void Use(AllocationChanged service, HashSet<IPAddress> dirty)
    {
        foreach (var allocated in service.Addresses)
        {
            if (AddressDemand.Parse(allocated) is not { } address)
            {
                continue;
            }

            if (!_users.TryGetValue(address, out var users))
            {
                users = [];
                _users[address] = users;
            }

            users.Add(service.Service);
            dirty.Add(address);
        }
    }

    private void Forget(AllocationChanged service, HashSet<IPAddress> dirty)
    {
        foreach (var allocated in service.Addresses)
        {
            if (AddressDemand.Parse(allocated) is not { } address || !_users.TryGetValue(address, out var users))
            {
                continue;
            }

            users.Remove(service.Service);
            if (users.Count == 0)
            {
                _users.Remove(address);
            }

            dirty.Add(address);
        }
    }
}
