using Beacon.Contracts;

namespace Beacon.Ctl.Rendering;

/// <summary>Which events beaconctl events prints. Pure.</summary>
/// <param name="Type">CloudEvents type, exact (<c>io.beacon.announcement.v1</c>) or as prefix (<c>io.beacon.allocation</c>).</param>
/// <param name="Service"><c>namespace/name</c>: allocation events of that Service and announcements about it.</param>
public sealed record EventFilter(string? Type, string? Service)
{
    public bool Matches(string natsSubject, CloudEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Type is not null && !e.Type.StartsWith(Type, StringComparison.Ordinal))
        {
            return false;
        }

        if (Service is null)
        {
            return true;
        }

        if (Subjects.TryParseAllocation(natsSubject, out var key) && key.ToString() == Service)
        {
            return true;
        }

        if (e.Subject == Service)
        {
            return true;
        }

        return e.Is(EventTypes.Announcement) && e.TryGetData(EventTypes.Announcement, out var a, out _) && a.Service.ToString() == Service;
    }
}
