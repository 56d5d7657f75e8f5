using System.ComponentModel;

namespace Beacon.Announcer.Modes;

/// <summary>The BGP attributes the routing modes put on every route of this node (section <c>Bgp</c>).</summary>
public sealed class BgpAttributeOptions : Beacon.Hosting.Options.IOptionSection
{
    [Description("BGP communities on every announced route, ASN:value, comma-separated (e.g. 65000:100).")]
    public List<string> Communities { get; set; } = [];

    [Description("BGP large communities on every announced route, global:local1:local2, comma-separated.")]
    public List<string> LargeCommunities { get; set; } = [];

    [Description("LOCAL_PREF on announced routes (only iBGP peers see it); empty leaves the daemon's default.")]
    public long? LocalPreference { get; set; }

    [Description("Where BGP peer passwords are read: DIR/SECRET/password for a peer's passwordSecret, DIR/PEER/password for an inline password (mount the Secrets there).")]
    public string PasswordDirectory { get; set; } = Peers.PeerContext.DefaultPasswordDirectory;

    public BgpAttributes ToAttributes() =>
        new([.. Communities], [.. LargeCommunities], LocalPreference is { } p ? checked((uint)p) : null);
}
