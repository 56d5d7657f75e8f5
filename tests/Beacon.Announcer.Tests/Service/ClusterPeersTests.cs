using System.Text;
using Beacon.Announcer.Service;
using Beacon.Contracts;
using Beacon.Messaging;
using static Beacon.Announcer.Tests.Peers.PeerSamples;

namespace Beacon.Announcer.Tests.Service;

/// <summary>The node's view of the cluster's peers: each message replaces the set; bad messages change nothing.</summary>
public sealed class ClusterPeersTests
{
    [Fact]
    public void Unknown_until_the_first_set_then_each_set_replaces_the_last_adding_changing_and_deleting_peers()
    {
        var peers = new ClusterPeers();
        var changes = 0;
        peers.Changed += (_, _) => changes++;
        peers.Current.Should().BeNull();

        peers.Apply(Message(Peer("a"), Peer("b", "198.18.0.2"))).Should().BeNull();
        peers.Current!.Select(p => p.Name).Should().Equal("a", "b");

        peers.Apply(Message(Peer("a") with { HoldTime = "9s" })).Should().BeNull();
        peers.Current!.Should().ContainSingle().Which.HoldTime.Should().Be("9s", "b was deleted and a changed");

        peers.Apply(Message()).Should().BeNull();
        peers.Current.Should().BeEmpty("an empty set is known: every session goes");
        changes.Should().Be(3);
    }

    [Fact]
    public void The_same_set_again_is_not_a_change()
    {
        var peers = new ClusterPeers();
        var changes = 0;
        peers.Changed += (_, _) => changes++;

        peers.Apply(Message(Peer("a", selectors: Zone("a"))));
        peers.Apply(Message(Peer("a", selectors: Zone("a"))));

        changes.Should().Be(1);
    }

    [Fact]
    public void Garbage_a_wrong_subject_or_a_duplicated_name_keeps_the_set_and_says_why()
    {
        var peers = new ClusterPeers();
        peers.Apply(Message(Peer("a")));

        peers.Apply(new BusMessage(Subjects.BgpPeers, null, Encoding.UTF8.GetBytes("{not json"))).Should().NotBeNull();
        peers.Apply(Message(Peer("x")) with { Subject = "beacon.v1.bgp.peers.forged" })!.Kind.Should().Be(DecodeErrorKind.SubjectMismatch);
        peers.Apply(Message(Peer("b"), Peer("b", "198.18.0.9")))!.Message.Should().Contain("'b' appears twice");
        peers.Apply(new BusMessage(Subjects.BgpPeers, null,
            CloudEventCodec.Encode(EventTypes.Announcement, new Announcement("n", Web, "198.19.10.5", "eth0", AnnouncementRole.Owner, "x", DateTimeOffset.UnixEpoch), "/test")))
            !.Kind.Should().Be(DecodeErrorKind.UnexpectedType);

        peers.Current!.Select(p => p.Name).Should().Equal("a");
    }

    private static BusMessage Message(params BgpPeerConfig[] peers) =>
        new(Subjects.BgpPeers, null, CloudEventCodec.Encode(EventTypes.BgpPeers, new BgpPeerSet(peers), EventSources.Allocator));
}
