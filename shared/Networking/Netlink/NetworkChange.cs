using Beacon.Networking.Addresses;
using Beacon.Networking.Links;

namespace Beacon.Networking.Netlink;

/// <summary>A change the kernel announced on the rtnetlink multicast groups.</summary>
public abstract record NetworkChange;

/// <summary>A link appeared, changed (up/down, carrier) or, when <paramref name="Removed"/>, disappeared.</summary>
public sealed record LinkChanged(LinkInfo Link, bool Removed) : NetworkChange;

/// <summary>An address was added/updated or, when <paramref name="Removed"/>, deleted or expired.</summary>
public sealed record AddressChanged(InterfaceAddress Address, bool Removed) : NetworkChange;

/// <summary>The socket overflowed (ENOBUFS) and notifications were lost: list everything again.</summary>
public sealed record ChangesLost : NetworkChange;
