using Beacon.Announcer.Modes.Routing;

namespace Beacon.Announcer.Modes.Peers;

/// <summary>One resource peer and the routes it is sent, each with the attributes for that peer.</summary>
public sealed record PeerRoutes(ResourcePeer Peer, IReadOnlyList<AnnouncedRoute> Routes);
