namespace Beacon.Contracts;

/// <summary>CloudEvents <c>source</c> values (URI references) of Beacon's components.</summary>
public static class EventSources
{
    public const string Allocator = "/beacon/allocator";

    public const string Beaconctl = "/beacon/beaconctl";

    public static string NodeAgent(string node) => "/beacon/nodes/" + node + "/agent";

    public static string Announcer(string node) => "/beacon/nodes/" + node + "/announcer";
}
