using System.Text.Json.Serialization;

namespace Beacon.Contracts;

/// <summary>What a node did with one address, on <c>beacon.v1.announcements.&lt;node&gt;</c>.</summary>
/// <param name="Reason">Short human-readable cause (e.g. "elected", "peer lost", "service released").</param>
/// <param name="Peers">
/// Absent on the NodeAgent's announcements. Present only on a routing Announcer's hand-off report: the BGP peers
/// (resource peers, by name, sorted) this node hands the address's route to right now, empty when none. A report
/// describes an address the NodeAgent announced; it never adds, keeps or withdraws a holding by itself.
/// </param>
public sealed record Announcement(
    string Node,
    ServiceKey Service,
    string Address,
    string Interface,
    AnnouncementRole Role,
    string Reason,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Peers = null)
{
    /// <summary>A routing Announcer's report of the peers it hands the route to, not a holding.</summary>
    [JsonIgnore]
    public bool IsHandOffReport => Peers is not null;
}
