using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

public sealed class ServiceGroupValidationTests
{
    private static IReadOnlyList<ServiceGroupError> ErrorsOf(ServiceGroupSpec spec) => ServiceGroupValidator.Validate(spec).Errors;

    [Fact]
    public void A_PureLB_group_with_a_v4pool_and_v6pool_is_valid_with_default_aggregation()
    {
        var result = ServiceGroupValidator.Validate(Fixtures.DualGroup("default", "192.168.1.0/24", "192.168.1.240-192.168.1.250", "fd00:1::/64", "fd00:1::1000-fd00:1::1fff"));

        result.IsValid.Should().BeTrue();
        var group = result.Group!;
        group.AutoAssign.Should().BeTrue();
        group.Pools.Should().HaveCount(2);
        group.Pools[0].Id.Should().Be("default/v4pool");
        group.Pools[0].PrefixLength.Should().Be(24, "aggregation 'default' announces with the subnet's prefix");
        group.Pools[1].Family.Should().Be(IpFamily.IPv6);
        group.Pools[1].PrefixLength.Should().Be(64);
    }

    [Fact]
    public void Aggregation_sets_the_announced_prefix_length()
    {
        var group = ServiceGroupValidator.Validate(new ServiceGroupSpec
        {
            Name = "virtual",
            V4Pools = [new PoolSpec("172.31.1.0/24", "172.31.1.0/24", "/32"), new PoolSpec("172.31.2.0/24", "172.31.2.0/25", "default")],
        }).Group!;

        group.Pools.Select(p => p.PrefixLength).Should().Equal(32, 24);
        group.Pools.Select(p => p.Id).Should().Equal("virtual/v4pools[0]", "virtual/v4pools[1]");
    }

    [Theory]
    [InlineData("10.0.0.0/24", "10.0.0.300-10.0.0.310", null, GroupErrorCode.InvalidRange, "spec.local.v4pool.pool")]
    [InlineData("10.0.0.0/24", "10.0.1.1-10.0.1.5", null, GroupErrorCode.RangeOutsideSubnet, "spec.local.v4pool.pool")]
    [InlineData("10.0.0.0/24", "10.0.0.9-10.0.0.1", null, GroupErrorCode.ReversedRange, "spec.local.v4pool.pool")]
    [InlineData("10.0.0.0/24", "fd00::1-fd00::5", null, GroupErrorCode.FamilyMismatch, "spec.local.v4pool.pool")]
    [InlineData("fd00::/64", "10.0.0.1-10.0.0.5", null, GroupErrorCode.FamilyMismatch, "spec.local.v4pool.subnet")]
    [InlineData("10.0.0.0/40", "10.0.0.1-10.0.0.5", null, GroupErrorCode.InvalidCidr, "spec.local.v4pool.subnet")]
    [InlineData("10.0.0.0", "10.0.0.1-10.0.0.5", null, GroupErrorCode.InvalidCidr, "spec.local.v4pool.subnet")]
    [InlineData(null, "10.0.0.1-10.0.0.5", null, GroupErrorCode.MissingSubnet, "spec.local.v4pool.subnet")]
    [InlineData("10.0.0.0/24", " ", null, GroupErrorCode.MissingPool, "spec.local.v4pool.pool")]
    [InlineData("10.0.0.0/24", "10.0.0.1-10.0.0.5", "/33", GroupErrorCode.InvalidAggregation, "spec.local.v4pool.aggregation")]
    [InlineData("10.0.0.0/24", "10.0.0.1-10.0.0.5", "32", GroupErrorCode.InvalidAggregation, "spec.local.v4pool.aggregation")]
    [InlineData("10.0.0.0/24", "10.0.0.1-10.0.0.5,10.0.0.4", null, GroupErrorCode.OverlappingPools, "spec.local.v4pool.pool")]
    public void Every_pool_mistake_is_reported_with_its_field_and_code(string? subnet, string? pool, string? aggregation, GroupErrorCode code, string field)
    {
        var errors = ErrorsOf(new ServiceGroupSpec { Name = "broken", V4Pool = new PoolSpec(subnet, pool, aggregation) });

        errors.Should().ContainSingle().Which.Should().Match<ServiceGroupError>(e => e.Code == code && e.Field == field && e.Group == "broken");
    }

    [Fact]
    public void A_v6_range_in_a_v4_list_entry_is_a_family_mismatch()
    {
        var errors = ErrorsOf(new ServiceGroupSpec { Name = "g", V4Pools = [new PoolSpec("fd00::/64", "fd00::1-fd00::9")] });

        errors.Select(e => e.Code).Should().Contain(GroupErrorCode.FamilyMismatch);
        errors.Should().OnlyContain(e => e.Field.StartsWith("spec.local.v4pools[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void All_problems_of_a_group_are_reported_together()
    {
        var errors = ErrorsOf(new ServiceGroupSpec
        {
            Name = "Bad_Name",
            V4Pool = new PoolSpec("10.0.0.0/24", "10.0.0.9-10.0.0.1"),
            V6Pool = new PoolSpec("fd00::/64", "fd01::1-fd01::2"),
            Allocation = new AllocationSpec
            {
                Namespaces = ["Not A Namespace"],
                ServiceSelector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("tier", "Within", ["a"])] },
            },
        });

        errors.Select(e => e.Code).Should().BeEquivalentTo(
        [
            GroupErrorCode.InvalidName, GroupErrorCode.ReversedRange, GroupErrorCode.RangeOutsideSubnet,
            GroupErrorCode.InvalidNamespace, GroupErrorCode.InvalidSelector,
        ]);
        errors.Single(e => e.Code == GroupErrorCode.InvalidSelector).Message.Should().Contain("'Within' is not one of In, NotIn, Exists, DoesNotExist");
    }

    [Fact]
    public void A_group_without_pools_is_rejected()
    {
        ErrorsOf(new ServiceGroupSpec { Name = "empty" }).Should().ContainSingle().Which.Code.Should().Be(GroupErrorCode.NoPools);
    }

    [Fact]
    public void Overlapping_pools_inside_one_group_are_rejected()
    {
        var errors = ErrorsOf(new ServiceGroupSpec
        {
            Name = "g",
            V4Pools = [new PoolSpec("10.0.0.0/24", "10.0.0.0/25"), new PoolSpec("10.0.0.0/24", "10.0.0.100-10.0.0.200")],
        });

        errors.Should().ContainSingle().Which.Should().Match<ServiceGroupError>(e =>
            e.Code == GroupErrorCode.OverlappingPools && e.Field == "spec.local.v4pools[1].pool" && e.Message.Contains("v4pools[0]"));
    }

    [Theory]
    [InlineData("In", new string[0], "needs at least one value")]
    [InlineData("Exists", new[] { "x" }, "takes no values")]
    public void Selector_requirements_are_checked_against_their_operator(string op, string[] values, string message)
    {
        var errors = ErrorsOf(new ServiceGroupSpec
        {
            Name = "g",
            V4Pool = new PoolSpec("10.0.0.0/24", "10.0.0.0/24"),
            Allocation = new AllocationSpec { NamespaceSelector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("team", op, values)] } },
        });

        errors.Should().ContainSingle().Which.Message.Should().Contain(message);
    }
}
