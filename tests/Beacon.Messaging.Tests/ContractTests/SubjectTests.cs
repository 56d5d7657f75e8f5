using Beacon.Contracts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Messaging.Tests.ContractTests;

public sealed class SubjectTests
{
    [Fact]
    public void Subjects_are_versioned_and_name_the_service_or_node()
    {
        Subjects.Allocation(new ServiceKey("default", "web")).Should().Be("beacon.v1.allocations.default.web");
        Subjects.Heartbeat("node-a").Should().Be("beacon.v1.nodes.node-a.heartbeat");
        Subjects.Announcements("node-a").Should().Be("beacon.v1.announcements.node-a");
        Subjects.LabFailNode("node-a").Should().Be("beacon.v1.lab.fail-node.node-a");
    }

    [Fact]
    public void Dotted_node_names_stay_one_token_and_round_trip()
    {
        var subject = Subjects.Heartbeat("ip-10-0-0-1.ec2.internal");

        subject.Should().Be("beacon.v1.nodes.ip-10-0-0-1_ec2_internal.heartbeat");
        Subjects.TryParseHeartbeat(subject, out var node).Should().BeTrue();
        node.Should().Be("ip-10-0-0-1.ec2.internal");
    }

    [Theory]
    [InlineData("*")]
    [InlineData(">")]
    [InlineData("a b")]
    [InlineData("a\tb")]
    [InlineData("")]
    [InlineData("node_a")]
    [InlineData("nodé")]
    public void Names_that_could_break_or_widen_a_subject_are_rejected(string name)
    {
        var act = () => Subjects.Heartbeat(name);

        act.Should().Throw<ArgumentException>();
        SubjectToken.TryEncode(name, out _).Should().BeFalse();
    }

    [Property]
    public Property Any_kubernetes_style_name_round_trips_through_a_single_token()
    {
        var character = Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-.".ToCharArray());
        var names = Gen.NonEmptyListOf(character).Select(chars => new string(chars.ToArray())).Where(n => n.Length <= SubjectToken.MaxLength);
        return Prop.ForAll(names.ToArbitrary(), name =>
        {
            var subject = Subjects.Allocation(new ServiceKey(name, name));
            return Subjects.TryParseAllocation(subject, out var key)
                && key == new ServiceKey(name, name)
                && subject.Split('.').Length == 5;
        });
    }

    [Property(MaxTest = 2000)]
    public Property Matching_a_subject_to_a_service_answers_as_parsing_it_does()
    {
        // Short strings over the characters that matter (separators, the escape, a forbidden one), so matches happen.
        var token = Gen.ListOf(Gen.Elements("ab.-_*".ToCharArray())).Select(chars => new string(chars.ToArray()));
        var subject = Gen.OneOf(
            Gen.Zip(token, token).Select(t => "beacon.v1.allocations." + t.Item1 + "." + t.Item2),
            token.Select(t => "beacon.v1.allocations." + t),
            token);
        var cases = Gen.Zip(subject, Gen.Zip(token, token));
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var service = new ServiceKey(c.Item2.Item1, c.Item2.Item2);
            var parsed = Subjects.TryParseAllocation(c.Item1, out var key) && key == service;
            return Subjects.IsAllocationOf(c.Item1, service) == parsed
                && (!SubjectToken.TryEncode(service.Namespace, out _) || !SubjectToken.TryEncode(service.Name, out _)
                    || Subjects.IsAllocationOf(Subjects.Allocation(service), service));
        });
    }

    [Theory]
    [InlineData("beacon.v1.nodes.a.b.heartbeat")]
    [InlineData("beacon.v1.nodes.*.heartbeat")]
    [InlineData("beacon.v2.nodes.a.heartbeat")]
    [InlineData("beacon.v1.nodes..heartbeat")]
    public void Subjects_that_do_not_name_exactly_one_node_do_not_parse(string subject)
    {
        Subjects.TryParseHeartbeat(subject, out _).Should().BeFalse();
    }
}
