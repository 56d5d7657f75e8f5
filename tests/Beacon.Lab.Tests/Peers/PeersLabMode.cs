namespace Beacon.Lab.Tests.Peers;

/// <summary>The Announcer's routing mode in a <see cref="PeersLab"/>, and so the daemon the node runs.</summary>
public enum PeersLabMode
{
    Bird,
    Frr,
    GoBgp,
}
