using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>A change in what this node announces for one Service's address (Owner, Member or Withdrawn).</summary>
public sealed record AnnouncementChange(ServiceKey Service, PlumbedAddress Plumbing, AnnouncementRole Role)
{
    /// <summary>
    /// Every (service, address) whose role changed from <paramref name="before"/> to <paramref name="after"/>: new ones
    /// with their role, gone ones as Withdrawn. Unchanged entries yield nothing, so repeated reconciles stay quiet.
    /// </summary>
    public static IReadOnlyList<AnnouncementChange> Between(AddressPlan before, AddressPlan after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        // Walks the plans through their own address index: one (service, address) dictionary per plan would be a
        // large-object allocation each with 1,000 Services, made on every pass (each lifetime refresh), that only a
        // full collection frees (docs/benchmarks.md, "Footprint").
        var changes = new List<AnnouncementChange>();
        foreach (var planned in after.Addresses)
        {
            before.ByPlumbing.TryGetValue(planned.Plumbing, out var previous);
            foreach (var service in planned.Services)
            {
                if (previous is null || previous.Role != planned.Role || !previous.Services.Contains(service))
                {
                    changes.Add(new AnnouncementChange(service, planned.Plumbing, planned.Role));
                }
            }
        }

        foreach (var planned in before.Addresses)
        {
            after.ByPlumbing.TryGetValue(planned.Plumbing, out var next);
            foreach (var service in planned.Services)
            {
                if (next is null || !next.Services.Contains(service))
                {
                    changes.Add(new AnnouncementChange(service, planned.Plumbing, AnnouncementRole.Withdrawn));
                }
            }
        }

        return changes;
    }
}
