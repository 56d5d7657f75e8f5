namespace Beacon.Contracts;

public enum AnnouncementRole
{
    /// <summary>The node owns a Local address: it is on the node's interface and answered for.</summary>
    Owner,

    /// <summary>The node carries a Remote address on <c>kube-lb0</c> (one of every eligible node).</summary>
    Member,

    /// <summary>The node stopped carrying the address.</summary>
    Withdrawn,
}
