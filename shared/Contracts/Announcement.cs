namespace Beacon.Contracts;

/// <summary>What a node did with one address, on <c>beacon.v1.announcements.&lt;node&gt;</c>.</summary>
/// <param name="Reason">Short human-readable cause (e.g. "elected", "peer lost", "service released").</param>
public sealed record Announcement(
    string Node,
    ServiceKey Service,
    string Address,
    string Interface,
    AnnouncementRole Role,
    string Reason,
    DateTimeOffset At);
