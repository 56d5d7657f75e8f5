using Beacon.Contracts;

namespace Beacon.Announcer.Modes.Peers;

/// <summary>Where a node finds a peer's password (never on the bus): files of a mounted Secret.</summary>
public interface IPeerPasswords
{
    /// <summary>The password, or null with <paramref name="problem"/> saying which file is missing.</summary>
    string? Read(BgpPeerConfig peer, out string? problem);
}
