using Beacon.Ipam;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Beacon.Ipam.Tests.Fixtures;

namespace Beacon.Ipam.Tests;

/// <summary>MetalLB's serviceAllocation semantics (lists of selectors, namespaces OR namespace selectors) and kind-named conflicts.</summary>
public sealed class AnyOfSelectorTests
{
    private static LabelSelector Labels(string key, string value) => new() { MatchLabels = new Dictionary<string, string> { [key] = value } };

    private static AddressAllocator Tenant() => Engine(V4Group("tenant", "10.0.0.0/24", "10.0.0.0/24") with
    {
        Allocation = new AllocationSpec
        {
            Namespaces = ["shop"],
            NamespaceSelectors = [Labels("team", "blue"), Labels("team", "green")],
            ServiceSelectors = [Labels("app", "web"), Labels("tier", "edge")],
        },
    });

    [Theory]
    [InlineData("shop", "", "app", "web", true)]
    [InlineData("x", "blue", "app", "web", true)]
    [InlineData("x", "green", "tier", "edge", true)]
    [InlineData("x", "red", "app", "web", false)]
    [InlineData("shop", "", "app", "db", false)]
    public void A_namespace_listed_or_selected_by_any_selector_and_a_service_matching_any_selector_is_admitted(
        string ns, string team, string key, string value, bool admitted)
    {
        var outcome = Tenant().Allocate(Service("s", ns: ns, labels: new Dictionary<string, string> { [key] = value },
            namespaceLabels: team.Length == 0 ? null : new Dictionary<string, string> { ["team"] = team }));

        outcome.Addresses.Should().HaveCount(admitted ? 1 : 0);
    }

    [Property]
    public Property Without_selector_lists_namespaces_alone_decide_as_before(bool listed)
    {
        var engine = Engine(V4Group("g", "10.0.0.0/24", "10.0.0.0/24") with { Allocation = new AllocationSpec { Namespaces = ["a"] } });
        return (engine.Allocate(Service("s", ns: listed ? "a" : "b")).Addresses.Count == (listed ? 1 : 0)).ToProperty();
    }

    [Fact]
    public void An_invalid_selector_in_a_list_rejects_the_group_naming_its_index()
    {
        var spec = V4Group("bad", "10.0.0.0/24", "10.0.0.0/24") with
        {
            Allocation = new AllocationSpec { ServiceSelectors = [Labels("a", "b"), new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("k", "Near", [])] }] },
        };

        ServiceGroupCatalog.Build([spec]).ErrorsOf("bad").Should().Contain(e => e.Field == "spec.allocation.serviceSelectors[1]");
    }

    [Fact]
    public void Overlaps_and_duplicate_names_name_the_kind_of_the_older_resource()
    {
        var older = V4Group("lan", "10.0.0.0/24", "10.0.0.0/24", DateTimeOffset.UnixEpoch) with { Kind = "IPAddressPool" };
        var newer = V4Group("other", "10.0.0.0/24", "10.0.0.128/25", DateTimeOffset.UnixEpoch.AddDays(1));
        var twin = V4Group("lan", "10.1.0.0/24", "10.1.0.0/24", DateTimeOffset.UnixEpoch.AddDays(2));

        var catalog = ServiceGroupCatalog.Build([newer, older, twin]);

        catalog.Find("lan")!.Kind.Should().Be("IPAddressPool");
        catalog.ErrorsOf("other").Single().Message.Should().Contain("of IPAddressPool 'lan'");
        catalog.Errors.Should().Contain(e => e.Code == GroupErrorCode.DuplicateName && e.Message == "another IPAddressPool already has this name");
    }
}
