using Beacon.Allocator.Formats;
using Beacon.Allocator.Formats.Status;
using Beacon.Allocator.Standalone;
using Beacon.Ipam;
using FsCheck;
using FsCheck.Fluent;

namespace Beacon.Allocator.Tests.Formats.Peers;

/// <summary>
/// A MetalLB BGPPeer and an OpenELB BgpPeer naming the same daemon session (or the same peer name): the older resource
/// keeps it (creationTimestamp; in the standalone directory else the file's modification time; ties by
/// "Kind namespace/name"), the other is rejected naming the winner in ConfigurationState, whatever the order of reading.
/// </summary>
public sealed class PeerClashTests
{
    private static readonly DateTimeOffset Older = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Newer = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static string MetalLbPeer(string name, string address, DateTimeOffset? created, uint peerAsn = 65001) => $$"""
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: { name: {{name}}, namespace: metallb-system{{Created(created)}} }
        spec: { myASN: 65000, peerASN: {{peerAsn}}, peerAddress: "{{address}}" }
        """;

    private static string OpenElbPeer(string name, string address, DateTimeOffset? created, uint peerAsn = 65002) => $$"""
        apiVersion: network.kubesphere.io/v1alpha2
        kind: BgpConf
        metadata: { name: default }
        spec: { as: 65000 }
        ---
        apiVersion: network.kubesphere.io/v1alpha2
        kind: BgpPeer
        metadata: { name: {{name}}{{Created(created)}} }
        spec: { conf: { peerAs: {{peerAsn}}, neighborAddress: "{{address}}" } }
        """;

    private static string Created(DateTimeOffset? at) =>
        at is { } t ? $", creationTimestamp: \"{t.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}\"" : string.Empty;

    private static FormatTranslation Translate(params (string File, string Text, DateTimeOffset? WrittenAt)[] files) =>
        PoolFormats.Default.Translate(ManifestCatalog.Build(files.Select(f => ManifestCatalog.Read(f.File, f.Text, f.WrittenAt))).ForeignResources);

    [Fact]
    public void An_older_openelb_bgppeer_keeps_the_session_and_the_newer_metallb_bgppeer_is_rejected_naming_it()
    {
        // MetalLB is read first; before, the first format read kept the session whatever the ages.
        var translation = Translate(
            ("metallb.yaml", MetalLbPeer("router", "198.18.0.1", Newer), null),
            ("openelb.yaml", OpenElbPeer("tor", "198.18.0.1", Older), null));

        translation.Peers.Should().ContainSingle().Which.Should().Match<Beacon.Contracts.BgpPeerConfig>(p => p.Name == "tor" && p.PeerAsn == 65002);
        var problem = translation.Problems.Should().ContainSingle(p => p.Rejected).Subject;
        problem.Resource.Should().Be("BGPPeer metallb-system/router");
        problem.Message.Should().Contain("the same session (198.18.0.1 port 179 vrf '') is already configured by BGP peer 'tor' of BgpPeer tor")
            .And.Contain("it is older (created 2024-01-01T00:00:00Z, this one 2025-06-01T00:00:00Z)");
    }

    [Fact]
    public void An_older_metallb_bgppeer_keeps_the_session_against_a_newer_openelb_bgppeer()
    {
        var translation = Translate(
            ("metallb.yaml", MetalLbPeer("router", "198.18.0.1", Older), null),
            ("openelb.yaml", OpenElbPeer("tor", "198.18.0.1", Newer), null));

        translation.Peers.Should().ContainSingle().Which.Name.Should().Be("router");
        translation.Problems.Should().ContainSingle(p => p.Rejected).Which.Resource.Should().Be("BgpPeer tor");
    }

    [Fact]
    public void The_same_peer_name_for_two_sessions_is_decided_by_age_too_and_the_loser_is_asked_to_rename()
    {
        var translation = Translate(
            ("metallb.yaml", MetalLbPeer("router", "198.18.0.1", Newer), null),
            ("openelb.yaml", OpenElbPeer("router", "198.18.0.2", Older), null));

        translation.Peers.Should().ContainSingle().Which.PeerAddress.Should().Be("198.18.0.2");
        translation.Problems.Should().ContainSingle(p => p.Rejected).Which.Message.Should()
            .Contain("a BGP peer named 'router' is already configured by BgpPeer router").And.Contain("rename one of them");
    }

    [Fact]
    public void In_the_standalone_directory_without_creationTimestamp_the_file_written_first_is_older()
    {
        var translation = Translate(
            ("a-metallb.yaml", MetalLbPeer("router", "198.18.0.1", null), Newer),
            ("b-openelb.yaml", OpenElbPeer("tor", "198.18.0.1", null), Older));

        translation.Peers.Should().ContainSingle().Which.Name.Should().Be("tor");
        translation.Problems.Should().ContainSingle(p => p.Rejected).Which.Resource.Should().Be("BGPPeer metallb-system/router");
    }

    [Fact]
    public void A_written_creationTimestamp_counts_before_the_file_time()
    {
        var translation = Translate(
            ("a-metallb.yaml", MetalLbPeer("router", "198.18.0.1", Older), Newer),
            ("b-openelb.yaml", OpenElbPeer("tor", "198.18.0.1", null), Older.AddDays(1)));

        translation.Peers.Should().ContainSingle().Which.Name.Should().Be("router");
    }

    [Fact]
    public void Equal_ages_are_decided_by_kind_namespace_and_name_in_ordinal_order()
    {
        var translation = Translate(
            ("a.yaml", OpenElbPeer("tor", "198.18.0.1", Older), null),
            ("b.yaml", MetalLbPeer("router", "198.18.0.1", Older), null));

        // "BGPPeer metallb-system/router" < "BgpPeer tor" (ordinal: 'G' before 'g').
        translation.Peers.Should().ContainSingle().Which.Name.Should().Be("router");
        translation.Problems.Should().ContainSingle(p => p.Rejected).Which.Message.Should().Contain("same creation time (or none), and its name comes first");
    }

    [Fact]
    public void The_loser_is_rejected_in_configuration_state_naming_the_winner()
    {
        var translation = Translate(
            ("metallb.yaml", MetalLbPeer("router", "198.18.0.1", Newer), null),
            ("openelb.yaml", OpenElbPeer("tor", "198.18.0.1", Older), null));

        var rejected = RejectedResources.From(translation, ServiceGroupCatalog.Empty);
        var state = ConfigurationStateBuilder.Build(rejected, null, Newer);

        state.Result.Should().Be(ConfigurationState.Invalid);
        state.ErrorSummary.Should().Contain("BGPPeer metallb-system/router").And.Contain("BgpPeer tor, which keeps it");
        rejected.Should().ContainSingle(r => r.Rejected).Which.Should()
            .Match<RejectedResource>(r => r.Resource == "BGPPeer metallb-system/router" && r.At == "metallb.yaml:1" && r.Reasons.Single().Contains("BgpPeer tor"));
    }

    [Fact]
    public void An_advertisement_naming_the_losing_peer_is_sent_to_the_session_that_kept_it()
    {
        var translation = Translate(
            ("metallb.yaml", MetalLbPeer("router", "198.18.0.1", Newer) + """

                ---
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata: { name: bgp, namespace: metallb-system }
                spec: { addresses: [198.18.100.0/28] }
                ---
                apiVersion: metallb.io/v1beta1
                kind: BGPAdvertisement
                metadata: { name: bgp, namespace: metallb-system }
                spec: { ipAddressPools: [bgp], peers: [router] }
                """, null),
            ("openelb.yaml", OpenElbPeer("tor", "198.18.0.1", Older), null));

        translation.Announcements["bgp"].Bgp.Should().ContainSingle().Which.Peers.Select(p => p.Name).Should().Equal("tor");
    }

    private sealed record Claim(bool MetalLb, int Address, int Day, int Name);

    private static readonly Gen<List<Claim>> Claims =
        Gen.Elements(true, false)
            .SelectMany(_ => Gen.Choose(1, 3), (metalLb, address) => (metalLb, address))
            .SelectMany(_ => Gen.Choose(0, 2), (t, day) => (t.metalLb, t.address, day))
            .SelectMany(_ => Gen.Choose(0, 3), (t, name) => new Claim(t.metalLb, t.address, t.day, name))
            .ListOf()
            .Select(items => items.Take(6).ToList());

    [Fact]
    public void The_order_of_reading_never_changes_which_peer_keeps_a_session_and_every_other_one_is_rejected()
    {
        Prop.ForAll(Claims.ToArbitrary(), Gen.Shuffle(Enumerable.Range(0, 6).ToArray()).ToArbitrary(), (claims, order) =>
        {
            // One file per claim; a resource's name is unique per kind (the API server would refuse a second one).
            var files = claims.Select((c, i) => (c, i)).GroupBy(x => (x.c.MetalLb, x.c.Name)).Select(g => g.First())
                .Select(x => (File: $"f{x.i}.yaml",
                    Text: x.c.MetalLb
                        ? MetalLbPeer($"m{x.c.Name}", $"198.18.0.{x.c.Address}", Older.AddDays(x.c.Day))
                        : OpenElbPeer($"o{x.c.Name}", $"198.18.0.{x.c.Address}", Older.AddDays(x.c.Day)),
                    WrittenAt: (DateTimeOffset?)null))
                .ToList();
            var resources = ManifestCatalog.Build(files.Select(f => ManifestCatalog.Read(f.File, f.Text, f.WrittenAt))).ForeignResources;
            var reordered = order.Where(i => i < resources.Count).Select(i => resources[i]).Concat(resources.Skip(order.Length)).ToList();

            var asRead = PoolFormats.Default.Translate(resources);
            var shuffled = PoolFormats.Default.Translate(reordered);

            static string Kept(FormatTranslation t) => string.Join(",", t.Peers.Select(p => $"{p.Name}@{p.PeerAddress}"));
            static string Refused(FormatTranslation t) => string.Join(",", t.Problems.Where(p => p.Rejected).Select(p => p.Resource).Order(StringComparer.Ordinal));
            var sessions = asRead.Peers.Select(p => p.PeerAddress).ToList();
            var peerResources = resources.Count(r => r.Kind is "BGPPeer" or "BgpPeer");
            return (Kept(asRead) == Kept(shuffled)).Label($"kept {Kept(asRead)} vs {Kept(shuffled)} read in another order")
                .And(Refused(asRead) == Refused(shuffled)).Label($"refused {Refused(asRead)} vs {Refused(shuffled)}")
                .And(sessions.Distinct().Count() == sessions.Count).Label("one peer per session")
                .And(asRead.Peers.Count + asRead.Problems.Count(p => p.Rejected) == peerResources).Label("every peer is kept or rejected, none dropped silently");
        }).QuickCheckThrowOnFailure();
    }
}
