using Beacon.Contracts;

namespace Beacon.NodeAgent.Bus;

/// <summary>Folds this node's announcements into what it holds now: the latest non-withdrawn one per Service address.</summary>
public sealed class NodeHoldings
{
    private readonly Dictionary<(ServiceKey Service, string Address), Announcement> _holding = [];

    public void Apply(Announcement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        var key = (announcement.Service, announcement.Address);
        if (announcement.Role == AnnouncementRole.Withdrawn)
        {
            _holding.Remove(key);
        }
        else
        {
            _holding[key] = announcement;
        }
    }

    /// <summary>The node's status: what it holds now, and its strictARP finding (null when layer 2 is safe).</summary>
    public NodeStatusReport Status(string node, DateTimeOffset at, string? strictArpProblem = null) =>
        new(node, [.. _holding.Values.OrderBy(a => a.Service.ToString(), StringComparer.Ordinal).ThenBy(a => a.Address, StringComparer.Ordinal)], at,
            strictArpProblem);
}
