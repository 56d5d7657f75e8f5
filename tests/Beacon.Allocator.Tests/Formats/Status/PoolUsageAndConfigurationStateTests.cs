using System.Text.Json;
using Beacon.Allocator.Formats.Status;
using Beacon.Ipam;

namespace Beacon.Allocator.Tests.Formats.Status;

public sealed class PoolUsageAndConfigurationStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Usage_counters_sum_a_pools_ranges_per_family_in_metallbs_field_names()
    {
        var counters = PoolUsageCounters.Of("lan",
        [
            new PoolStatistics("lan", "lan/v4pools[0]", IpFamily.IPv4, 10, 3),
            new PoolStatistics("lan", "lan/v4pools[1]", IpFamily.IPv4, 5, 5),
            new PoolStatistics("lan", "lan/v6pool", IpFamily.IPv6, System.Numerics.BigInteger.Pow(2, 64), 1),
            new PoolStatistics("other", "other/v4pool", IpFamily.IPv4, 100, 50),
        ]);

        JsonSerializer.Serialize(counters).Should().Be($$"""{"assignedIPv4":8,"assignedIPv6":1,"availableIPv4":7,"availableIPv6":{{long.MaxValue}}}""");
        PoolUsageCounters.Of("rejected", []).Should().Be(new PoolUsageCounters());
    }

    [Fact]
    public void A_rejected_resource_makes_the_configuration_invalid_and_is_named_with_file_and_line()
    {
        var state = ConfigurationStateBuilder.Build(
        [
            new RejectedResource("Eip bad", "eips.yaml:18", ["spec.address: '10.0.1.9-10.0.1.1' is reversed"]),
            new RejectedResource("ServiceGroup purelb-system/multi", "sg.yaml:8", ["spec.local.multiPool: is not supported"], Rejected: false),
        ], null, Now);

        state.Result.Should().Be("Invalid");
        state.ErrorSummary.Should().Be("eips.yaml:18: Eip bad: spec.address: '10.0.1.9-10.0.1.1' is reversed");
        state.Conditions.Should().ContainSingle().Which.Should().Be(new ConfigurationCondition("ConfigurationValid", "False", "ConfigurationError", state.ErrorSummary!, Now));
    }

    [Fact]
    public void Warnings_alone_leave_the_configuration_valid_and_listed()
    {
        var previous = ConfigurationStateBuilder.Build([], null, Now);
        var state = ConfigurationStateBuilder.Build([new RejectedResource("ServiceGroup g", "sg.yaml:8", ["spec.local.multiPool: is not supported"], Rejected: false)], previous, Now.AddMinutes(5));

        state.Result.Should().Be("Valid");
        state.ErrorSummary.Should().BeNull();
        state.Conditions.Single().Message.Should().Contain("sg.yaml:8: ServiceGroup g: spec.local.multiPool");
        state.Conditions.Single().LastTransitionTime.Should().Be(Now, "still valid: no transition");
        previous.Conditions.Single().Message.Should().Be("every resource is in use");
    }
}
