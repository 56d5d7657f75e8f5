using System.Net;
using Beacon.Announcer.Modes;

namespace Beacon.Announcer.Tests;

/// <summary>Short ways to write the desired sets tests apply.</summary>
internal static class Desired
{
    public static BgpAttributes Communities { get; } = new(["65000:100"], ["65000:1:2"], 200);

    /// <summary>An address outside the node subnets, on kube-lb0 (what routing modes announce).</summary>
    public static AnnouncedAddress Routed(string service, string address, int? aggregation = null, BgpAttributes? attributes = null) =>
        new(service, IPAddress.Parse(address), aggregation, AddressKind.KubeLb0, "kube-lb0", attributes ?? BgpAttributes.None);

    /// <summary>A node-subnet address this node won, on eth0.</summary>
    public static AnnouncedAddress Owned(string service, string address) =>
        new(service, IPAddress.Parse(address), null, AddressKind.LocalOwner, "eth0", BgpAttributes.None);

    public static AnnouncementSet Of(params AnnouncedAddress[] addresses) => new(addresses);
}
