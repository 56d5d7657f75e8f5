using System.Net;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>A locally originated path in gobgpd's global RIB, reduced to what the gobgp mode sets.</summary>
public sealed record GoBgpPath(IPNetwork Prefix, BgpAttributes Attributes);
