using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Domain;

/// <summary>
/// Scoped membership: an agent subscribes to the heartbeat subjects of its own subnets' scopes only. These tests check
/// the scope tokens and subjects, and that for every address the candidates an agent hears are exactly the candidates
/// every-agent-hears-every-agent would give it.
/// </summary>
public sealed class MembershipScopeTests
{
    private static readonly IPNetwork[] Pool =
    [
        IPNetwork.Parse("198.18.0.0/24"), IPNetwork.Parse("198.18.1.0/24"), IPNetwork.Parse("10.0.0.0/16"),
        IPNetwork.Parse("fd00:beac::/64"), IPNetwork.Parse("fd00:beac:0:1::/64"),
    ];

    [Fact]
    public void Scope_tokens_name_the_subnet_and_ignore_host_bits()
    {
        MembershipScope.Of(IPNetwork.Parse("198.18.0.0/24")).Should().Be("v4-198-18-0-0-24");
        MembershipScope.Of(new IPNetwork(IPAddress.Parse("198.18.0.11"), 24)).Should().Be("v4-198-18-0-0-24");
        MembershipScope.Of(IPNetwork.Parse("fd00:beac::/64")).Should().Be("v6-fd00beac000000000000000000000000-64");
        MembershipScope.For([]).Should().Equal(MembershipScope.Unplaced);
    }

    [Fact]
    public void The_scoped_subject_names_node_and_scope_and_parses_back()
    {
        var subject = Subjects.ScopedHeartbeat("ip-10-0-0-1.ec2.internal", "v4-10-0-0-0-16");

        subject.Should().Be("beacon.v1.nodes.ip-10-0-0-1_ec2_internal.heartbeat.v4-10-0-0-0-16");
        Subjects.TryParseScopedHeartbeat(subject, out var node, out var scope).Should().BeTrue();
        (node, scope).Should().Be(("ip-10-0-0-1.ec2.internal", "v4-10-0-0-0-16"));
        Subjects.TryParseHeartbeat(subject, out _).Should().BeFalse("the cluster-wide liveness subject is a different one");
        Subjects.ScopeHeartbeats("v4-10-0-0-0-16", "node1").Should().Be("beacon.v1.nodes.*.heartbeat.v4-10-0-0-0-16");
        Subjects.ScopeHeartbeats(MembershipScope.Unplaced, "node1").Should().Be("beacon.v1.nodes.node1.heartbeat.unplaced", "a node without subnets only hears its own echo");
    }

    [Theory]
    [InlineData("beacon.v1.nodes.node1.heartbeat.v4-1-2-3-0-24.x")]
    [InlineData("beacon.v1.nodes.node1.heartbeat.*")]
    [InlineData("beacon.v1.nodes.node1.heartbeat.>")]
    [InlineData("beacon.v1.nodes.node1.heartbeat.V4")]
    [InlineData("beacon.v1.nodes.node1.status.v4-1-2-3-0-24")]
    [InlineData("beacon.v1.nodes.no*de.heartbeat.v4-1-2-3-0-24")]
    [InlineData("beacon.v1.nodes.node1.heartbeat.")]
    public void Malformed_scoped_subjects_are_rejected(string subject) =>
        Subjects.TryParseScopedHeartbeat(subject, out _, out _).Should().BeFalse();

    [Fact]
    public void A_scope_that_is_not_a_token_cannot_become_a_subject()
    {
        var act = () => Subjects.ScopedHeartbeat("node1", "a.b");
        act.Should().Throw<ArgumentException>().WithMessage("*not a membership scope*");
    }

    [Property]
    public Property Different_subnets_give_different_scopes_and_every_scope_is_a_single_safe_token()
    {
        var subnets = Gen.Choose(0, int.MaxValue).SelectMany(a => Gen.Choose(8, 30).Select(len => NetworkPrefix.Of(new IPAddress(BitConverter.GetBytes(a)), len)));
        return Prop.ForAll(subnets.ToArbitrary(), subnets.ToArbitrary(), (x, y) =>
            MembershipScope.IsValid(MembershipScope.Of(x)) && (x.Equals(y) == (MembershipScope.Of(x) == MembershipScope.Of(y))));
    }

    private static Gen<NodeReport[]> Cluster() =>
        Gen.Choose(1, 10).SelectMany(count => Gen.ArrayOf(
            Gen.Choose(1, (1 << Pool.Length) - 1).Select(mask => Pool.Where((_, i) => (mask & (1 << i)) != 0).ToArray()), count)
            .Select(subnets => subnets.Select((s, i) => new NodeReport($"node{i}", "eth0", s, true, true, "s" + i)).ToArray()));

    /// <summary>What <paramref name="listener"/> hears: every node that publishes on a subject one of its subscriptions matches.</summary>
    private static IEnumerable<NodeReport> HeardBy(NodeReport listener, IEnumerable<NodeReport> all)
    {
        var subscriptions = MembershipScope.For(listener.Subnets).Select(s => Subjects.ScopeHeartbeats(s, listener.Node)).ToList();
        return all.Where(p => MembershipScope.For(p.Subnets).Select(s => Subjects.ScopedHeartbeat(p.Node, s)).Any(subject => subscriptions.Any(f => SubjectMatches(f, subject))));
    }

    private static bool SubjectMatches(string filter, string subject)
    {
        var f = filter.Split('.');
        var s = subject.Split('.');
        return f.Length == s.Length && f.Zip(s).All(t => t.First == "*" || t.First == t.Second);
    }

    [Property]
    public Property For_every_address_on_its_subnets_an_agent_hears_exactly_the_candidates_all_hear_all_gives_it()
    {
        return Prop.ForAll(Cluster().ToArbitrary(), Gen.Choose(0, 255).ToArbitrary(), (nodes, host) =>
            nodes.All(listener =>
            {
                var heard = HeardBy(listener, nodes).ToList();
                return listener.Subnets.All(subnet =>
                {
                    var address = Host(subnet, host);
                    var today = nodes.Where(n => n.IsOnLink(address)).Select(n => n.Node);
                    var scoped = heard.Where(n => n.IsOnLink(address)).Select(n => n.Node);
                    return today.SequenceEqual(scoped)
                        && Election.Winner(address, heard, _ => true)!.Node == Election.Winner(address, nodes, _ => true)!.Node;
                });
            }));
    }

    [Property]
    public Property Nodes_that_share_no_subnet_never_hear_each_other()
    {
        return Prop.ForAll(Cluster().ToArbitrary(), nodes =>
            nodes.All(listener => HeardBy(listener, nodes).All(peer => peer == listener || peer.Subnets.Intersect(listener.Subnets).Any())));
    }

    private static IPAddress Host(IPNetwork subnet, int host)
    {
        var bytes = subnet.BaseAddress.GetAddressBytes();
        bytes[^1] = (byte)(bytes[^1] | (host & 0xff));
        return new IPAddress(bytes);
    }
}
