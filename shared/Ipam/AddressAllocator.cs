using System.Net;

namespace Beacon.Ipam;

/// <summary>
/// The allocation engine: pure, single-threaded, deterministic. Feed it the groups (<see cref="SetGroups(ServiceGroupCatalog)"/>),
/// then on start-up every Service's existing status addresses (<see cref="Restore"/>), then create/update events
/// (<see cref="Allocate"/>) and deletions (<see cref="Release"/>). The same sequence of calls always produces the same
/// assignments; a restored engine behaves exactly like the one it replaces.
/// </summary>
public sealed class AddressAllocator
{
    private readonly AllocatorOptions options;
    private readonly Dictionary<NumericAddress, Holding> holdings = [];
    private readonly Dictionary<ServiceKey, ServiceEntry> entries = [];
    private readonly Dictionary<string, SortedSet<NumericAddress>> sharedByKey = new(StringComparer.Ordinal);
    private readonly SortedSet<ServiceKey> pending = [];
    private List<PoolState> pools = [];
    private Dictionary<string, PoolState[]> poolsByGroup = new(StringComparer.Ordinal);

    public AddressAllocator(AllocatorOptions? options = null) => this.options = options ?? new AllocatorOptions();

    public ServiceGroupCatalog Groups { get; private set; } = ServiceGroupCatalog.Empty;

    /// <summary>Services whose last allocation was valid but unsatisfiable (they hold nothing).</summary>
    public IReadOnlyCollection<ServiceKey> Pending => pending;

    public GroupUpdateResult SetGroups(IEnumerable<ServiceGroupSpec> specs) => SetGroups(ServiceGroupCatalog.Build(specs));

    /// <summary>
    /// Replaces the groups. Nothing is renumbered here: held addresses stay held (so no one else can take them) and
    /// Services whose addresses became invalid are listed as stale.
    /// </summary>
    public GroupUpdateResult SetGroups(ServiceGroupCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Groups = catalog;
        pools = catalog.Groups.SelectMany(g => g.Pools).Select(p => new PoolState(p)).ToList();
        poolsByGroup = pools.GroupBy(p => p.Pool.GroupName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        foreach (var holding in holdings.Values)
        {
            Locate(holding);
            holding.Range?.MarkUsed(holding.Address);
        }

        var stale = entries.Values.Where(e => e.Intent is not null && Invalid(e, e.Intent).Count > 0).Select(e => e.Request.Key).Order().ToList();
        return new GroupUpdateResult(catalog.Errors, stale, pending.ToList());
    }

    /// <summary>Whether the engine manages this Service at all (type LoadBalancer, class unset or ours).</summary>
    public bool Manages(ServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(request.Type, "LoadBalancer", StringComparison.Ordinal)
            && (string.IsNullOrEmpty(request.LoadBalancerClass) || string.Equals(request.LoadBalancerClass, options.LoadBalancerClass, StringComparison.Ordinal));
    }

    /// <summary>
    /// Rebuilds state from a Service's status after a restart: the addresses are taken as they are (never moved),
    /// even when invalid; such a Service is reported stale. An address already held by an incompatible Service
    /// restored earlier is not taken and is reported. Call for every Service before any <see cref="Allocate"/>.
    /// </summary>
    public AllocationOutcome Restore(ServiceRequest request, IEnumerable<IPAddress> statusAddresses)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(statusAddresses);
        if (!Manages(request))
        {
            return Outcome(request.Key, AllocationStatus.NotManaged, null, null, false);
        }

        ReleaseEntry(request.Key);
        pending.Remove(request.Key);
        var intent = ServiceIntent.TryCreate(request, out var error);
        var entry = new ServiceEntry(request, intent);
        entries[request.Key] = entry;
        foreach (var address in statusAddresses.Select(NumericAddress.From).Distinct())
        {
            if (holdings.TryGetValue(address, out var holding) && FirstConflict(entry.Sharing, request.Key, holding) is { } conflict)
            {
                entry.Conflicted.Add(new StaleAddress(address.ToIPAddress(), conflict.Message));
                continue;
            }

            Take(entry, address, holding);
        }

        if (entry.Held.Count == 0 && !entry.HasConflicts)
        {
            entries.Remove(request.Key);
        }

        if (intent is null)
        {
            return Outcome(request.Key, AllocationStatus.Rejected, new AllocationFailure(FailureReason.InvalidRequest, error), null, entry.Held.Count > 0);
        }

        var invalid = Invalid(entry, intent);
        return invalid.Count > 0
            ? Outcome(request.Key, AllocationStatus.Stale, StaleFailure(invalid), invalid, true)
            : Outcome(request.Key, AllocationStatus.Allocated, null, null, entry.Held.Count > 0);
    }

    /// <summary>Creates or updates the Service's allocation. Idempotent: calling it again with the same request changes nothing.</summary>
    public AllocationOutcome Allocate(ServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request.Key;
        if (!Manages(request))
        {
            var released = ReleaseEntry(key);
            pending.Remove(key);
            return Outcome(key, AllocationStatus.NotManaged, null, null, released);
        }

        var intent = ServiceIntent.TryCreate(request, out var error);
        if (intent is null)
        {
            // A typo in an annotation must not cost the Service its address: keep what it holds. Not pending either:
            // no group change can fix a malformed request.
            pending.Remove(key);
            return Outcome(key, AllocationStatus.Rejected, new AllocationFailure(FailureReason.InvalidRequest, error), null, false);
        }

        pending.Remove(key);
        var before = entries.TryGetValue(key, out var entry) ? entry.Held.ToList() : [];
        if (entry is null)
        {
            entry = new ServiceEntry(request, intent);
            entries[key] = entry;
        }
        else
        {
            Reconsider(entry, request, intent);
        }

        var failure = Complete(entry, intent);
        OrderByFamilies(entry);
        var changed = !before.SequenceEqual(entry.Held);
        if (entry.Held.Count == 0 && !entry.HasConflicts)
        {
            entries.Remove(key);
            pending.Add(key);
            return Outcome(key, AllocationStatus.Pending, failure, null, changed);
        }

        var stale = Invalid(entry, intent);
        if (stale.Count > 0)
        {
            return Outcome(key, AllocationStatus.Stale, StaleFailure(stale), stale, changed);
        }

        // Non-null only when PreferDualStack got fewer families than it asked for: worth an event, not a failure.
        return Outcome(key, AllocationStatus.Allocated, failure, null, changed);
    }

    /// <summary>
    /// Applies a new request to a Service that already holds addresses. An address that the Service's own change made
    /// unusable (other group or address requested, families changed, ports now clash, labels no longer admitted) is
    /// given back. An address that was already invalid before this request — the configuration changed under it — is
    /// kept and reported stale, unless the Service re-targets (group, addresses, families, policy) or
    /// <see cref="AllocatorOptions.RenumberInvalid"/> is on.
    /// </summary>
    private void Reconsider(ServiceEntry entry, ServiceRequest request, ServiceIntent intent)
    {
        var invalid = Invalid(entry, intent);
        var retarget = entry.Intent is null || !entry.Intent.SameTarget(intent);
        var alreadyInvalid = retarget || options.RenumberInvalid || invalid.Count == 0
            ? []
            : Invalid(entry, entry.Intent!).Select(s => s.Address).ToHashSet();
        var dropped = invalid.Where(s => !alreadyInvalid.Contains(s.Address)).Select(s => NumericAddress.From(s.Address)).ToHashSet();

        // A second address of a family from the same group (multiPool switched off) is surplus: the Service keeps its
        // first address of that family, so giving the others back moves nothing.
        if (entry.Held.Count > 1)
        {
            dropped.UnionWith(Surplus(entry, intent));
        }

        // An address that was already stale (pool shrank, group gone) is kept only while it harms no one. If the new
        // request can no longer share it with its co-holders (sharing key removed or changed, a port now clashes, Local
        // with another selector), keeping it would put the same address on two incompatible Services: give it back.
        // Only this Service's own change can create such a conflict, so this never takes an address from anyone else.
        foreach (var address in entry.Held)
        {
            if (!dropped.Contains(address) && FirstConflict(intent.Sharing, request.Key, holdings[address]) is not null)
            {
                dropped.Add(address);
            }
        }

        entry.Request = request;
        foreach (var address in entry.Held.Where(dropped.Contains).ToList())
        {
            Drop(entry, address);
        }

        if (entry.HasConflicts)
        {
            entry.Conflicted.RemoveAll(c => dropped.Contains(NumericAddress.From(c.Address)));
        }

        entry.Intent = intent;
        foreach (var address in entry.Held)
        {
            RefreshSharingIndex(holdings[address]);
        }
    }

    /// <summary>The Service is gone (or no longer a LoadBalancer): returns the addresses that became free (shared ones stay until the last sharer goes).</summary>
    public IReadOnlyList<IPAddress> Release(ServiceKey key)
    {
        pending.Remove(key);
        if (!entries.TryGetValue(key, out var entry))
        {
            return [];
        }

        var freed = entry.Held.Where(a => holdings[a].Holders.Count == 1).Select(a => a.ToIPAddress()).ToList();
        ReleaseEntry(key);
        return freed;
    }

    /// <summary>What the Service holds now (empty if nothing), primary family first.</summary>
    public IReadOnlyList<AllocatedAddress> AddressesOf(ServiceKey key) =>
        entries.TryGetValue(key, out var entry) ? Describe(entry) : [];

    /// <summary>Every Service holding addresses, in key order, with its addresses. Meant for diagnostics and tests.</summary>
    public IReadOnlyList<KeyValuePair<ServiceKey, IReadOnlyList<IPAddress>>> Assignments() =>
        entries.OrderBy(e => e.Key)
            .Select(e => new KeyValuePair<ServiceKey, IReadOnlyList<IPAddress>>(e.Key, e.Value.Held.Select(a => a.ToIPAddress()).ToList()))
            .ToList();

    /// <summary>The Services holding an address, in key order.</summary>
    public IReadOnlyList<ServiceKey> HoldersOf(IPAddress address) =>
        holdings.TryGetValue(NumericAddress.From(address), out var holding) ? holding.Holders.ToList() : [];

    /// <summary>Services that currently hold at least one invalid address, with the reasons.</summary>
    public IReadOnlyList<AllocationOutcome> StaleServices() =>
        entries.Values.Where(e => e.Intent is not null)
            .Select(e => (e, Invalid(e, e.Intent!)))
            .Where(x => x.Item2.Count > 0)
            .OrderBy(x => x.e.Request.Key)
            .Select(x => Outcome(x.e.Request.Key, AllocationStatus.Stale, StaleFailure(x.Item2), x.Item2, false))
            .ToList();

    public IReadOnlyList<PoolStatistics> Statistics() =>
        pools.Select(p => new PoolStatistics(p.Pool.GroupName, p.Pool.Id, p.Pool.Family, p.Pool.Size, p.Used)).ToList();

    private AllocationFailure? Complete(ServiceEntry entry, ServiceIntent intent)
    {
        // A family whose status address is kept as a stale restore conflict is not silently re-allocated either.
        var missing = intent.Families
            .Where(f => entry.Held.All(a => a.Family != f) && !(entry.HasConflicts && entry.Conflicted.Any(c => NumericAddress.From(c.Address).Family == f)))
            .ToList();
        if (missing.Count == 0)
        {
            return TopUpMultiPool(entry, intent);
        }

        var (choices, failure) = intent.Requested.Count > 0 ? PlanRequested(intent, missing) : PlanAutomatic(entry, intent, missing);
        var complete = choices.Count == missing.Count;
        if (!complete && intent.Policy == IpFamilyPolicy.RequireDualStack)
        {
            // Both or nothing: give back what the Service holds rather than leave it half allocated.
            foreach (var address in entry.Held.ToList())
            {
                Drop(entry, address);
            }

            return failure! with { Message = $"RequireDualStack: {failure.Message}" };
        }

        foreach (var (address, _) in choices)
        {
            Take(entry, address, holdings.GetValueOrDefault(address));
        }

        return TopUpMultiPool(entry, intent) ?? failure;
    }

    /// <summary>
    /// multiPool: once the Service holds an address of its group, it also gets one from every other pool of that group,
    /// for each family it asks for (PureLB's AssignNextPerRange). A full pool is skipped and named in the returned
    /// failure (the Service stays Allocated, as in PureLB, which only counts such partial allocations); the next
    /// allocation of the Service (any group change re-runs them all) fills it once it has room. Only ever adds addresses.
    /// </summary>
    private AllocationFailure? TopUpMultiPool(ServiceEntry entry, ServiceIntent intent)
    {
        if (entry.Held.Count == 0 || intent.Requested.Count > 0 || intent.Sharing.Key is not null)
        {
            return null;
        }

        // Runs on every allocation: a plain loop, nothing allocated unless the group is multiPool.
        ServiceGroup? group = null;
        foreach (var held in entry.Held)
        {
            if (holdings[held].Pool is { } located)
            {
                group = Groups.Find(located.Pool.GroupName);
                break;
            }
        }

        if (group is null || InvalidFor(group, intent) is not null)
        {
            return null;
        }

        if (intent.MultiPool == true && group.BalancePools)
        {
            // PureLB refuses to allocate at all; Beacon keeps the one balanced address and says why there is no more.
            return new AllocationFailure(FailureReason.InvalidRequest,
                $"{ServiceAnnotations.MultiPool}: \"true\" is ignored: ServiceGroup '{group.Name}' has balancePools, and the two cannot be combined");
        }

        if (!MultiPoolFor(group, intent))
        {
            return null;
        }

        List<string>? full = null;
        foreach (var state in poolsByGroup.GetValueOrDefault(group.Name) ?? [])
        {
            var family = state.Pool.Family;
            // Skipped: a family not asked for, a pool the Service already has an address from, and a family whose
            // address came from another group (multiPool does not mix groups).
            if (!intent.Families.Contains(family) || entry.Held.Any(a => holdings[a].Pool == state
                    || (a.Family == family && !string.Equals(holdings[a].Pool?.Pool.GroupName, group.Name, StringComparison.Ordinal))))
            {
                continue;
            }

            if (state.TryPeekLowestFree(out var address, out _))
            {
                Take(entry, address, null);
            }
            else
            {
                (full ??= []).Add($"{state.Pool.Id} ({state.Pool.Subnet})");
            }
        }

        return full is null
            ? null
            : new AllocationFailure(FailureReason.PoolExhausted,
                $"multiPool: no free address in pool {string.Join(", ", full)} of ServiceGroup '{group.Name}'; the Service has addresses from its other pools");
    }

    /// <summary>Why an address of <paramref name="group"/> may not serve <paramref name="intent"/> at all, or null.</summary>
    private static string? InvalidFor(ServiceGroup group, ServiceIntent intent)
    {
        if (intent.GroupName is not null && !string.Equals(intent.GroupName, group.Name, StringComparison.Ordinal))
        {
            return $"belongs to ServiceGroup '{group.Name}', but the Service asks for '{intent.GroupName}'";
        }

        if (!group.Allocation.Admits(intent.Request))
        {
            return $"ServiceGroup '{group.Name}' does not admit this Service (allocation namespaces/selectors)";
        }

        if (intent.GroupName is null && intent.Requested.Count == 0 && !group.AutoAssign)
        {
            return $"ServiceGroup '{group.Name}' has autoAssign: false and the Service does not name it";
        }

        return null;
    }

    /// <summary>
    /// Whether the Service holds one address per pool of <paramref name="group"/> rather than one per family: the
    /// group's <c>multiPool</c> unless the Service's <c>purelb.io/multi-pool</c> says otherwise (never with balancePools).
    /// </summary>
    private static bool MultiPoolFor(ServiceGroup group, ServiceIntent intent) =>
        (intent.MultiPool ?? group.MultiPool) && !group.BalancePools && intent.Requested.Count == 0 && intent.Sharing.Key is null;

    /// <summary>Every address beyond the first of its family from the same group, when that group is not multiPool for the Service.</summary>
    private List<NumericAddress> Surplus(ServiceEntry entry, ServiceIntent intent)
    {
        List<NumericAddress> surplus = [];
        for (var i = 1; i < entry.Held.Count; i++)
        {
            var address = entry.Held[i];
            var pool = holdings[address].Pool?.Pool;
            if (pool is null || Groups.Find(pool.GroupName) is not { } group || MultiPoolFor(group, intent))
            {
                continue;
            }

            for (var j = 0; j < i; j++)
            {
                var earlier = entry.Held[j];
                if (earlier.Family == address.Family && !surplus.Contains(earlier) && holdings[earlier].Pool?.Pool.GroupName == group.Name)
                {
                    surplus.Add(address);
                    break;
                }
            }
        }

        return surplus;
    }

    private (List<(NumericAddress Address, AddressPool Pool)> Choices, AllocationFailure? Failure) PlanRequested(ServiceIntent intent, List<IpFamily> missing)
    {
        var choices = new List<(NumericAddress, AddressPool)>();
        AllocationFailure? failure = null;
        if (intent.GroupName is not null && NamedGroup(intent) is { Failure: { } groupFailure })
        {
            return (choices, groupFailure);
        }

        foreach (var family in missing)
        {
            var address = intent.RequestedFor(family)!.Value;
            var problem = RequestedAddressProblem(intent, address, out var pool);
            if (problem is null)
            {
                choices.Add((address, pool!));
            }
            else
            {
                failure ??= problem;
            }
        }

        return (choices, failure);
    }

    private AllocationFailure? RequestedAddressProblem(ServiceIntent intent, NumericAddress address, out AddressPool? pool)
    {
        pool = Groups.PoolContaining(address);
        if (pool is null)
        {
            return new AllocationFailure(FailureReason.AddressNotInAnyPool, $"requested address {address} is not inside any pool of a valid ServiceGroup");
        }

        var group = Groups.Find(pool.GroupName)!;
        if (intent.GroupName is not null && !string.Equals(intent.GroupName, group.Name, StringComparison.Ordinal))
        {
            return new AllocationFailure(FailureReason.AddressNotInRequestedGroup,
                $"requested address {address} belongs to ServiceGroup '{group.Name}', but the Service asks for '{intent.GroupName}'");
        }

        if (!group.Allocation.Admits(intent.Request))
        {
            return new AllocationFailure(FailureReason.GroupNotAllowed,
                $"requested address {address} belongs to ServiceGroup '{group.Name}', whose allocation namespaces/selectors do not admit this Service");
        }

        if (!pool.CanHandOut(address))
        {
            return new AllocationFailure(FailureReason.AddressNotAllowed,
                $"requested address {address} ends in .0 or .255 and ServiceGroup '{group.Name}' has avoidBuggyIPs");
        }

        return holdings.TryGetValue(address, out var holding) ? FirstConflict(intent.Sharing, intent.Key, holding) : null;
    }

    private (ServiceGroup? Group, AllocationFailure? Failure) NamedGroup(ServiceIntent intent)
    {
        var name = intent.GroupName!;
        var group = Groups.Find(name);
        if (group is null)
        {
            var errors = Groups.ErrorsOf(name);
            return errors.Count > 0
                ? (null, new AllocationFailure(FailureReason.GroupRejected, $"ServiceGroup '{name}' is invalid: {string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"))}"))
                : (null, new AllocationFailure(FailureReason.UnknownGroup, $"ServiceGroup '{name}' does not exist"));
        }

        return group.Allocation.Admits(intent.Request)
            ? (group, null)
            : (null, new AllocationFailure(FailureReason.GroupNotAllowed, $"ServiceGroup '{name}' does not admit this Service (allocation namespaces/selectors)"));
    }

    private (List<(NumericAddress Address, AddressPool Pool)> Choices, AllocationFailure? Failure) PlanAutomatic(ServiceEntry entry, ServiceIntent intent, List<IpFamily> missing)
    {
        List<ServiceGroup> candidates;
        if (intent.GroupName is not null)
        {
            var (group, failure) = NamedGroup(intent);
            if (failure is not null)
            {
                return ([], failure);
            }

            candidates = [group!];
        }
        else
        {
            candidates = Groups.InPreferenceOrder.Where(g => g.AutoAssign && g.Allocation.Admits(intent.Request)).ToList();
            if (candidates.Count == 0)
            {
                return ([], new AllocationFailure(FailureReason.NoEligibleGroup,
                    Groups.Groups.Count == 0
                        ? "no valid ServiceGroup exists"
                        : "no ServiceGroup with autoAssign admits this Service; name one with purelb.io/service-group"));
            }

            // Completing a dual-stack Service: prefer the group its existing address came from.
            var held = entry.Held.Select(a => holdings[a].Pool?.Pool.GroupName).FirstOrDefault(n => n is not null);
            if (held is not null && candidates.FindIndex(g => g.Name == held) is var at and > 0)
            {
                var first = candidates[at];
                candidates.RemoveAt(at);
                candidates.Insert(0, first);
            }
        }

        List<(NumericAddress, AddressPool)> best = [];
        foreach (var group in candidates)
        {
            var choices = new List<(NumericAddress, AddressPool)>();
            foreach (var family in missing)
            {
                if (FindIn(group, family, intent) is { } choice)
                {
                    choices.Add(choice);
                }
            }

            if (choices.Count == missing.Count)
            {
                return (choices, null);
            }

            // Only PreferDualStack keeps a partial choice (Complete drops it otherwise); it also tells which family is short.
            if (choices.Count > best.Count)
            {
                best = choices;
            }
        }

        var unmet = missing.First(f => best.All(c => c.Item1.Family != f));
        return (best, Shortage(candidates, unmet, intent));
    }

    private AllocationFailure Shortage(List<ServiceGroup> candidates, IpFamily family, ServiceIntent intent)
    {
        var names = string.Join(", ", candidates.Select(g => $"'{g.Name}'"));
        if (candidates.All(g => !g.HasFamily(family)))
        {
            return new AllocationFailure(FailureReason.FamilyNotAvailable, $"no {family} pool in ServiceGroup {names}");
        }

        var sharing = intent.Sharing.Key is null ? string.Empty : $" and no address shared under key '{intent.Sharing.Key}' accepts this Service";
        return new AllocationFailure(FailureReason.PoolExhausted, $"no free {family} address in ServiceGroup {names}{sharing}");
    }

    private (NumericAddress, AddressPool)? FindIn(ServiceGroup group, IpFamily family, ServiceIntent intent)
    {
        if (intent.Sharing.Key is { } key && sharedByKey.TryGetValue(key, out var shared))
        {
            foreach (var address in shared)
            {
                var holding = holdings[address];
                if (address.Family == family && holding.Pool is { } state && state.Pool.GroupName == group.Name
                    && state.Pool.CanHandOut(address) && FirstConflict(intent.Sharing, intent.Key, holding) is null)
                {
                    return (address, state.Pool);
                }
            }
        }

        (NumericAddress, AddressPool)? best = null;
        var bestUsed = long.MaxValue;
        foreach (var state in poolsByGroup.GetValueOrDefault(group.Name) ?? [])
        {
            if (state.Pool.Family != family || (group.BalancePools && state.Used >= bestUsed) || !state.TryPeekLowestFree(out var address, out _))
            {
                continue;
            }

            if (!group.BalancePools)
            {
                return (address, state.Pool);
            }

            // balancePools: the least used pool of the family with a free address; the first written wins a tie.
            best = (address, state.Pool);
            bestUsed = state.Used;
        }

        return best;
    }

    /// <summary>Every held (or restore-conflicted) address of the entry that is not valid under <paramref name="intent"/>, with the reason.</summary>
    private IReadOnlyList<StaleAddress> Invalid(ServiceEntry entry, ServiceIntent intent)
    {
        // Runs on every Allocate: allocate nothing when all is well.
        List<StaleAddress>? result = null;
        var seen = new SeenAddresses();
        foreach (var address in entry.Held)
        {
            var reason = InvalidReason(entry, intent, address, ref seen);
            if (reason is not null)
            {
                (result ??= []).Add(new StaleAddress(address.ToIPAddress(), reason));
            }
        }

        if (entry.HasConflicts)
        {
            (result ??= []).AddRange(entry.Conflicted);
        }

        return result ?? (IReadOnlyList<StaleAddress>)[];
    }

    private string? InvalidReason(ServiceEntry entry, ServiceIntent intent, NumericAddress address, ref SeenAddresses seen)
    {
        if (!intent.Families.Contains(address.Family))
        {
            return $"the Service does not ask for an {address.Family} address";
        }

        var holding = holdings[address];
        var group = holding.Pool is { } located ? Groups.Find(located.Pool.GroupName)! : null;
        if (!seen.Admit(address.Family, holding.Pool, group is not null && MultiPoolFor(group, intent)))
        {
            return group is not null && MultiPoolFor(group, intent)
                ? $"the Service already holds another {address.Family} address from pool {holding.Pool!.Pool.Id} or from another group"
                : $"the Service already holds another {address.Family} address";
        }

        if (holding.Pool is not { } state || group is null)
        {
            return "not inside any pool of a valid ServiceGroup (pool shrank or group deleted)";
        }

        if (intent.GroupName is not null && !string.Equals(intent.GroupName, group.Name, StringComparison.Ordinal))
        {
            return $"belongs to ServiceGroup '{group.Name}', but the Service asks for '{intent.GroupName}'";
        }

        if (intent.Requested.Count > 0 && !intent.Requested.Contains(address))
        {
            return $"is not the requested address {intent.RequestedFor(address.Family)}";
        }

        if (InvalidFor(group, intent) is { } invalid)
        {
            return invalid;
        }

        if (!state.Pool.CanHandOut(address))
        {
            return $"ends in .0 or .255 and ServiceGroup '{group.Name}' has avoidBuggyIPs";
        }

        return FirstConflict(intent.Sharing, entry.Request.Key, holding)?.Message;
    }

    private AllocationFailure? FirstConflict(SharingProfile sharing, ServiceKey self, Holding holding)
    {
        foreach (var other in holding.Holders)
        {
            if (other != self && sharing.ConflictWith(entries[other].Sharing, other) is { } conflict)
            {
                return conflict;
            }
        }

        return null;
    }

    private void Take(ServiceEntry entry, NumericAddress address, Holding? holding)
    {
        if (holding is null)
        {
            holding = new Holding(address);
            Locate(holding);
            holding.Range?.MarkUsed(address);
            holdings[address] = holding;
        }

        holding.AddHolder(entry.Request.Key);
        entry.Held.Add(address);
        OrderByFamilies(entry);
        RefreshSharingIndex(holding);
    }

    private void Drop(ServiceEntry entry, NumericAddress address)
    {
        entry.Held.Remove(address);
        var holding = holdings[address];
        holding.Holders.Remove(entry.Request.Key);
        if (holding.Holders.Count == 0)
        {
            holdings.Remove(address);
            holding.Range?.MarkFree(address);
        }

        RefreshSharingIndex(holding);
    }

    private bool ReleaseEntry(ServiceKey key)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            return false;
        }

        foreach (var address in entry.Held.ToList())
        {
            Drop(entry, address);
        }

        entries.Remove(key);
        return true;
    }

    private void RefreshSharingIndex(Holding holding)
    {
        var key = holding.Holders.Count > 0 ? entries[holding.Holders[0]].Sharing.Key : null;
        if (string.Equals(key, holding.IndexedKey, StringComparison.Ordinal))
        {
            return;
        }

        if (holding.IndexedKey is { } old && sharedByKey.TryGetValue(old, out var oldSet))
        {
            oldSet.Remove(holding.Address);
            if (oldSet.Count == 0)
            {
                sharedByKey.Remove(old);
            }
        }

        if (key is not null)
        {
            if (!sharedByKey.TryGetValue(key, out var set))
            {
                sharedByKey[key] = set = [];
            }

            set.Add(holding.Address);
        }

        holding.IndexedKey = key;
    }

    private void Locate(Holding holding)
    {
        holding.Pool = null;
        holding.Range = null;
        foreach (var state in pools)
        {
            if (state.Pool.Family == holding.Address.Family && state.RangeContaining(holding.Address) is { } range)
            {
                holding.Pool = state;
                holding.Range = range;
                return;
            }
        }
    }

    private static void OrderByFamilies(ServiceEntry entry)
    {
        if (entry.Held.Count > 1 && entry.Intent is { } intent)
        {
            var order = intent.Families.ToList();
            entry.Held.Sort((a, b) =>
            {
                var ia = order.IndexOf(a.Family) is var x and >= 0 ? x : int.MaxValue;
                var ib = order.IndexOf(b.Family) is var y and >= 0 ? y : int.MaxValue;
                return ia != ib ? ia.CompareTo(ib) : a.CompareTo(b);
            });
        }
    }

    private List<AllocatedAddress> Describe(ServiceEntry entry) =>
        entry.Held.Select(a =>
        {
            var holding = holdings[a];
            var pool = holding.Pool?.Pool;
            return new AllocatedAddress(a.ToIPAddress(), a.Family, pool?.GroupName, pool?.Id, pool?.Subnet,
                pool?.PrefixLength ?? NumericAddress.BitLength(a.Family), holding.Holders.Count > 1);
        }).ToList();

    private static AllocationFailure StaleFailure(IReadOnlyList<StaleAddress> invalid) =>
        new(FailureReason.AddressInvalidated,
            $"kept, not renumbered (RenumberInvalid is off): {string.Join("; ", invalid)}");

    private AllocationOutcome Outcome(ServiceKey key, AllocationStatus status, AllocationFailure? failure, IReadOnlyList<StaleAddress>? stale, bool changed) =>
        new(key, status, entries.TryGetValue(key, out var entry) ? Describe(entry) : [], failure, stale ?? [], changed);
}
