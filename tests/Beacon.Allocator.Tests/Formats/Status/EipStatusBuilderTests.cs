using System.Net;
using System.Text.Json;
using Beacon.Allocator.Formats.OpenElb;
using Beacon.Allocator.Formats.Status;
using Beacon.Ipam;

namespace Beacon.Allocator.Tests.Formats.Status;

public sealed class EipStatusBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);

    private static KeyValuePair<ServiceKey, IReadOnlyList<IPAddress>> Holds(string ns, string name, params string[] addresses) =>
        new(new ServiceKey(ns, name), addresses.Select(IPAddress.Parse).ToList());

    [Fact]
    public void Sharing_services_are_listed_under_one_address_joined_by_semicolons_and_count_once()
    {
        var built = EipStatusBuilder.Build("10.0.0.0/30", [], false,
            [Holds("a", "web", "10.0.0.1"), Holds("a", "dns", "10.0.0.1"), Holds("b", "api", "10.0.0.2"), Holds("c", "elsewhere", "192.168.1.1")], null, Now);

        built.Eip.Used.Should().BeEquivalentTo(new Dictionary<string, string> { ["10.0.0.1"] = "a/dns;a/web", ["10.0.0.2"] = "b/api" });
        (built.Eip.Usage, built.Eip.PoolSize, built.Eip.Occupied, built.Eip.FirstIP, built.Eip.LastIP).Should().Be((2, 4, false, "10.0.0.0", "10.0.0.3"));
    }

    [Fact]
    public void An_unused_eip_omits_used_usage_and_occupied_exactly_as_openelbs_omitempty_does()
    {
        var built = EipStatusBuilder.Build("10.0.0.7", [], false, [], null, Now);

        JsonSerializer.Serialize(built.Eip, OpenElbJsonContext.Default.EipStatus)
            .Should().Be("""{"poolSize":1,"firstIP":"10.0.0.7","lastIP":"10.0.0.7","ready":true,"v4":true}""");
    }

    [Fact]
    public void An_ipv6_eip_is_not_v4_and_a_huge_one_reads_as_the_largest_go_int()
    {
        var built = EipStatusBuilder.Build("2001:db8::/64", [], false, [], null, Now);

        (built.Eip.V4, built.Eip.PoolSize, built.Eip.FirstIP, built.Eip.LastIP).Should().Be((false, int.MaxValue, "2001:db8::", "2001:db8::ffff:ffff:ffff:ffff"));
    }

    [Fact]
    public void A_conflicting_eip_is_not_ready_lists_nothing_and_says_why_in_its_condition()
    {
        var problem = "spec.local.v4pool.pool: range 10.0.0.5-10.0.0.9 overlaps 10.0.0.1-10.0.0.9 of ServiceGroup 'lan' (lan/v4pool), which is older and keeps it";

        var built = EipStatusBuilder.Build("10.0.0.5-10.0.0.9", [problem], true, [Holds("a", "web", "10.0.0.5")], null, Now);

        built.Eip.Ready.Should().BeFalse();
        built.Eip.Used.Should().BeNull("the addresses are the ServiceGroup's, not this Eip's");
        built.Ready.Should().Match<ReadyCondition>(c => c.Status == "False" && c.Reason == "Conflict" && c.Message == problem && c.LastTransitionTime == Now);
    }

    [Fact]
    public void The_condition_keeps_its_transition_time_while_its_status_holds()
    {
        var first = EipStatusBuilder.Build("10.0.0.1", [], false, [], null, Now).Ready;
        var later = EipStatusBuilder.Build("10.0.0.1", [], false, [Holds("a", "web", "10.0.0.1")], first, Now.AddHours(1)).Ready;
        var flipped = EipStatusBuilder.Build("10.0.0.1", ["spec.address: bad"], false, [], later, Now.AddHours(2)).Ready;

        later.LastTransitionTime.Should().Be(Now);
        later.Message.Should().Be("1 of 1 address(es) in use");
        flipped.LastTransitionTime.Should().Be(Now.AddHours(2));
        flipped.Reason.Should().Be("Invalid");
    }
}
