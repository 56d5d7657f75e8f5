namespace Beacon.Networking.L2;

/// <summary>How often to announce a newly won address: a few repeats survive a lost frame.</summary>
public sealed record AnnouncementOptions
{
    public int Count { get; init; } = 3;

    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(200);
}
