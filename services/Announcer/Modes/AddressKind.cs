namespace Beacon.Announcer.Modes;

/// <summary>Why this node holds an address, which decides how a mode announces it.</summary>
public enum AddressKind
{
    /// <summary>A node-subnet address this node won the election for; it is on the node's own interface.</summary>
    LocalOwner,

    /// <summary>An address outside every node subnet, on the dummy <c>kube-lb0</c> of every eligible node; routed, never ARPed.</summary>
    KubeLb0,
}
