using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Peers;
using Beacon.Announcer.Service;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Peers;

/// <summary>Which resource peers a node runs and what each address carries to them, from the advertisements it is sent.</summary>
public sealed class PeerSelectionTests
{
    private static readonly Dictionary<string, string> ZoneA = new() { ["zone"] = "a" };

    [Fact]
    public void Peers_of_advertisements_selecting_this_node_become_sessions_and_addresses_carry_each_advertisements_attributes()
    {
        var a = Peer("a");
        var b = Peer("b", "198.18.0.2");
        var set = Build(Held("198.19.10.5"), ZoneA, null,
            Allocation("198.19.10.5",
                Advertisement([a], ["65000:100", "large:65000:1:2"], 200),
                Advertisement([a, b], ["65000:200"])));

        set.Peers.Select(p => p.Name).Should().Equal("a", "b");
        set.Problems.Should().BeEmpty();
        var address = set.Addresses.Should().ContainSingle().Subject;
        address.Advertisements.Should().BeEquivalentTo(new[]
        {
            new PeerAdvertisement("a", new BgpAttributes(["65000:100", "65000:200"], ["65000:1:2"], 200)),
            new PeerAdvertisement("b", new BgpAttributes(["65000:200"], [], null)),
        });
    }

    [Fact]
    public void A_peer_exists_for_the_node_even_when_the_node_holds_none_of_its_addresses()
    {
        var set = Build(HeldAddresses.Empty, null, null, Allocation("198.19.10.5", Advertisement([Peer("a")])));

        set.Peers.Should().ContainSingle().Which.Name.Should().Be("a");
        set.Addresses.Should().BeEmpty();
    }

    [Fact]
    public void Node_selectors_of_peers_and_of_advertisements_are_matched_against_this_nodes_labels()
    {
        var inB = Peer("in-b", selectors: Zone("b"));
        var inA = Peer("in-a", "198.18.0.2", selectors: Zone("a"));
        var onlyB = Advertisement([Peer("c", "198.18.0.3")], null, null, Zone("b"));

        var set = Build(Held("198.19.10.5", "198.19.10.6"), ZoneA, null,
            Allocation("198.19.10.5", Advertisement([inB, inA])),
            Allocation("198.19.10.6", onlyB));

        set.Peers.Select(p => p.Name).Should().Equal("in-a");
        set.Addresses.Select(a => a.Address.ToString()).Should().Equal(["198.19.10.5"], "no BGP advertisement of 198.19.10.6 selects this node");
        set.Addresses[0].Advertisements.Select(p => p.Peer).Should().Equal("in-a");
    }

    [Fact]
    public void An_unannounced_pool_is_not_routed()
    {
        var allocation = Allocation("198.19.10.5") with { Announce = new Contracts.AnnouncementPolicy(false, [], []) };

        Build(Held("198.19.10.5"), null, null, allocation).Addresses.Should().BeEmpty();
    }

    [Fact]
    public void A_peer_whose_password_is_missing_is_reported_and_left_out_not_configured_without_one()
    {
        var secret = Peer("secret", secret: "metallb-system/pass");
        var inline = Peer("inline", "198.18.0.2", inline: true);
        var set = Build(Held("198.19.10.5"), null, new FixedPasswords(("inline", "s3cret")),
            Allocation("198.19.10.5", Advertisement([secret, inline])));

        set.Peers.Should().ContainSingle().Which.Should().Be(new ResourcePeer(inline, "s3cret"));
        set.Problems.Should().ContainSingle().Which.Should().Contain("secret");
        set.Addresses[0].Advertisements.Select(p => p.Peer).Should().Equal("inline");
    }

    [Fact]
    public void A_forged_peer_that_would_inject_into_a_daemon_config_is_reported_and_left_out()
    {
        var forged = Peer("x\"; protocol", "198.18.0.1");
        var badAddress = Peer("bad", "198.18.0.1; reject");
        var set = Build(Held(), null, null, Allocation("198.19.10.5", Advertisement([forged, badAddress])));

        set.Peers.Should().BeEmpty();
        set.Problems.Should().HaveCount(2).And.OnlyContain(p => p.Contains("not configured", StringComparison.Ordinal));
    }

    [Fact]
    public void Password_files_follow_the_secret_mount_convention_and_refuse_unrenderable_passwords()
    {
        var directory = Directory.CreateTempSubdirectory("beacon-bgp-secrets-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "bgp-pass"));
            File.WriteAllText(Path.Combine(directory.FullName, "bgp-pass", "password"), "s3cret\n");
            Directory.CreateDirectory(Path.Combine(directory.FullName, "quoted"));
            File.WriteAllText(Path.Combine(directory.FullName, "quoted", "password"), "a\"b");
            var files = new PeerPasswordFiles(directory.FullName);

            files.Read(Peer("p", secret: "metallb-system/bgp-pass"), out var ok).Should().Be("s3cret");
            ok.Should().BeNull();
            files.Read(Peer("none"), out var none).Should().BeNull();
            none.Should().BeNull("a peer without password needs no file");
            files.Read(Peer("inline", inline: true), out var missing).Should().BeNull();
            missing.Should().Contain(Path.Combine(directory.FullName, "inline", "password"));
            files.Read(Peer("q", secret: "quoted"), out var quoted).Should().BeNull();
            quoted.Should().Contain("quote");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
