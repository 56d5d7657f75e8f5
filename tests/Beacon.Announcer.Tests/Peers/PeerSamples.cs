using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Service;
using Beacon.Contracts;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>Peers, advertisements and allocations as the Allocator publishes them from MetalLB resources.</summary>
internal static class PeerSamples
{
    public static readonly ServiceKey Web = new("default", "web");

    public static BfdProfileConfig Fast { get; } = new("fast", 100, 200, 3, null, null, true, null);

    public static BgpPeerConfig Peer(string name, string address = "198.18.0.1", uint myAsn = 65010, uint peerAsn = 65000,
        BfdProfileConfig? bfd = null, string? secret = null, bool inline = false, params NodeSelector[] selectors) =>
        new(name, myAsn, peerAsn, address, null, null, null, null, false, null, inline, secret, bfd, selectors);

    public static BgpPeerConfig Full { get; } = new(
        "router-a", 65010, 65000, "198.18.0.1", 1179, "198.18.0.11", "9s", "3s", true, "red", false, "metallb-system/bgp-pass", Fast, []);

    public static NodeSelector Zone(string zone) => new(new Dictionary<string, string> { ["zone"] = zone }, []);

    public static BgpAnnouncement Advertisement(IReadOnlyList<BgpPeerConfig> peers, IReadOnlyList<string>? communities = null, uint? localPref = null,
        params NodeSelector[] nodes) =>
        new("BGPAdvertisement metallb-system/adv", null, null, localPref, communities ?? [], peers, nodes);

    public static AllocationChanged Allocation(string address, params BgpAnnouncement[] advertisements) => new(
        Web,
        [new AllocatedAddress(address, 32, IpFamily.IPv4, AddressPlacement.Remote, "pool", "198.19.10.0/24", null)],
        "pool", [], TrafficPolicy.Cluster, [], null, 1, "e1",
        new AnnouncementPolicy(true, [], advertisements));

    public static HeldAddresses Held(params string[] addresses) =>
        addresses.Aggregate(HeldAddresses.Empty, (h, a) => h.Add(new HeldAddress(a, Web, "kube-lb0", AnnouncementRole.Member)));

    public static AnnouncementSet Build(HeldAddresses held, IReadOnlyDictionary<string, string>? labels, IPeerPasswords? passwords,
        params AllocationChanged[] allocations) =>
        AnnouncementSetBuilder.Build(
            held,
            allocations.Select((a, i) => a with { Service = new ServiceKey("default", "svc" + i) }).ToDictionary(a => a.Service),
            BgpAttributes.None,
            new PeerContext(labels ?? new Dictionary<string, string>(), passwords ?? new FixedPasswords()));

    /// <summary>Passwords by peer name; a peer that needs one and is absent reports a problem.</summary>
    public sealed class FixedPasswords(params (string Peer, string Password)[] passwords) : IPeerPasswords
    {
        public string? Read(BgpPeerConfig peer, out string? problem)
        {
            problem = null;
            if (peer.PasswordSecret is null && !peer.HasInlinePassword)
            {
                return null;
            }

            var found = passwords.FirstOrDefault(p => p.Peer == peer.Name).Password;
            problem = found is null ? $"no password for {peer.Name}" : null;
            return found;
        }
    }
}
