namespace Beacon.NodeAgent.Domain;

/// <summary>
/// How to get from what is plumbed (only addresses this agent marked as its own) to the plan: add what is missing,
/// remove what is no longer planned, refresh the lifetime of the rest.
/// </summary>
public sealed record PlumbingDiff(IReadOnlyList<PlannedAddress> Add, IReadOnlyList<PlumbedAddress> Remove, IReadOnlyList<PlannedAddress> Keep)
{
    public bool ChangesAnything => Add.Count > 0 || Remove.Count > 0;

    public static PlumbingDiff Between(AddressPlan plan, IReadOnlyCollection<PlumbedAddress> plumbed)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(plumbed);
        var present = plumbed.ToHashSet();
        var add = new List<PlannedAddress>();
        var keep = new List<PlannedAddress>();
        foreach (var planned in plan.Addresses)
        {
            (present.Contains(planned.Plumbing) ? keep : add).Add(planned);
        }

        // Removals first in the reconciler, then additions: a prefix change is a remove plus an add of the same address.
        var remove = plumbed.Where(p => !plan.ByPlumbing.ContainsKey(p)).Distinct().ToList();
        return new PlumbingDiff(add, remove, keep);
    }
}
