namespace Beacon.Allocator.Reconciling;

/// <summary>Annotations and condition the Allocator writes on Services. PureLB's names where PureLB has one.</summary>
internal static class BeaconAnnotations
{
    /// <summary>PureLB writes "PureLB"; tools that check for the key keep working.</summary>
    public const string AllocatedBy = "purelb.io/allocated-by";

    /// <summary>The ServiceGroup the address came from.</summary>
    public const string AllocatedFrom = "purelb.io/allocated-from";

    /// <summary>Nodes currently announcing the Service's addresses, as reported by node agents.</summary>
    public const string AnnouncingNodes = "beacon.io/announcing-nodes";

    /// <summary>PureLB's per-family form: "node,interface" of the announcing node(s).</summary>
    public const string AnnouncingIPv4 = "purelb.io/announcing-IPv4";

    public const string AnnouncingIPv6 = "purelb.io/announcing-IPv6";

    public const string AllocatedByValue = "Beacon";

    /// <summary>Condition type on Service status: does the Service have the address(es) it asked for?</summary>
    public const string ConditionType = "beacon.io/AddressAssigned";
}
