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
        var old = Entries(before);
        var now = Entries(after);
        var changes = new List<AnnouncementChange>();
        foreach (var (key, role) in now)
        {
            if (!old.TryGetValue(key, out var previous) || previous != role)
            {
                changes.Add(new AnnouncementChange(key.Service, key.Plumbing, role));
            }
        }

        foreach (var key in old.Keys)
        {
            if (!now.ContainsKey(key))
            {
                changes.Add(new AnnouncementChange(key.Service, key.Plumbing, AnnouncementRole.Withdrawn));
            }
        }

        return changes;
    }

    private static Dictionary<(ServiceKey Service, PlumbedAddress Plumbing), AnnouncementRole> Entries(AddressPlan plan)
    {
        var entries = new Dictionary<(ServiceKey, PlumbedAddress), AnnouncementRole>();
        foreach (var planned in plan.Addresses)
        {
            foreach (var service in planned.Services)
            {
                entries[(service, planned.Plumbing)] = planned.Role;
            }
        }

        return entries;
    }
}
