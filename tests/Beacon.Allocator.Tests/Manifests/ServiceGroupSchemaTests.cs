using Beacon.Allocator.Manifests;

namespace Beacon.Allocator.Tests.Manifests;

/// <summary>The shipped ServiceGroup definition accepts PureLB's manifests and catches typos at admission.</summary>
public sealed class ServiceGroupSchemaTests
{
    private static IEnumerable<string> Validate(string yaml)
    {
        var parsed = YamlManifestReader.Read("test.yaml", yaml);
        parsed.Problems.Should().BeEmpty();
        return CustomResourceSchema.ServiceGroup.Validate(parsed.Documents.Single().Root).Select(v => v.ToString());
    }

    private static string Group(string spec) => "apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata:\n  name: g\n  namespace: purelb\nspec:\n" + spec;

    [Theory]
    [InlineData("  local:\n    subnet: 192.168.1.0/24\n    pool: 192.168.1.100-192.168.1.200\n    aggregation: default\n")]
    [InlineData("  local:\n    v4pool:\n      subnet: 192.168.1.0/24\n      pool: 192.168.1.240-192.168.1.250\n      aggregation: default\n")]
    [InlineData("  local:\n    v6pool:\n      subnet: fd53:9ef0:8683::/120\n      pool: fd53:9ef0:8683::-fd53:9ef0:8683::3\n      aggregation: /128\n")]
    [InlineData("  remote:\n    v4pools:\n    - subnet: 172.30.0.0/24\n      pool: 172.30.0.0/26\n      aggregation: /32\n    - subnet: 172.31.0.0/24\n      pool: 172.31.0.10\n")]
    [InlineData("  local:\n    v4pool: {subnet: 10.0.0.0/24, pool: 10.0.0.10 - 10.0.0.20}\n  autoAssign: false\n  avoidBuggyIPs: true\n  allocation:\n    priority: 10\n    namespaces: [team-a, team-b]\n    namespaceSelector:\n      matchLabels: {env: prod}\n    serviceSelector:\n      matchExpressions:\n      - {key: tier, operator: In, values: [web]}\n")]
    [InlineData("  local:\n    v4pool:\n      subnet: 10.0.0.0/24\n      pool: 10.0.0.1-10.0.0.5, 10.0.0.9,10.0.0.16/28\n")]
    [InlineData("  netbox:\n    url: https://netbox.example.com/api\n    tenant: ipam-purelb\n")]
    public void Accepts_PureLB_manifests_and_Beacon_extensions(string spec)
    {
        Validate(Group(spec)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("  local:\n    v4pool:\n      subnet: 192.168.1.0/24\n      pool: 192.168.1.240-192.168.1.256\n", "spec.local.v4pool.pool: '192.168.1.240-192.168.1.256' does not match")]
    [InlineData("  local:\n    v4pool:\n      subnet: 10.0.0.0/24\n      pool: 10.0.0.1-10.0.0.5,\n", "spec.local.v4pool.pool: '10.0.0.1-10.0.0.5,' does not match")]
    [InlineData("  local:\n    v4pool:\n      subnet: 192.168.1.0/33\n      pool: 192.168.1.240\n", "spec.local.v4pool.subnet: '192.168.1.0/33' does not match")]
    [InlineData("  local:\n    v4pool:\n      subnet: 192.168.1.0/24\n      pool: 192.168.1.240\n      aggregation: /64\n", "spec.local.v4pool.aggregation: '/64' does not match")]
    [InlineData("  local:\n    v4pool:\n      subnet: fd00::/64\n      pool: fd00::1-fd00::9\n", "spec.local.v4pool.subnet: 'fd00::/64' does not match")]
    [InlineData("  local:\n    v6pool:\n      subnet: 10.0.0.0/24\n      pool: 10.0.0.1\n", "spec.local.v6pool.subnet: '10.0.0.0/24' does not match")]
    [InlineData("  local:\n    v4pool:\n      pool: 192.168.1.240\n", "spec.local.v4pool: required field 'subnet' is missing")]
    [InlineData("  local:\n    v4Pool:\n      subnet: 192.168.1.0/24\n      pool: 192.168.1.240\n", "spec.local.v4Pool: unknown field")]
    [InlineData("  local:\n    v4pools: []\n", "spec.local.v4pools: must have at least 1 item(s)")]
    [InlineData("  local: {}\n  allocation:\n    priority: -1\n", "spec.allocation.priority: -1 is below the minimum 0")]
    [InlineData("  local: {}\n  autoAssign: \"no\"\n", "spec.autoAssign: must be a boolean")]
    [InlineData("  local: {}\n  allocation:\n    serviceSelector:\n      matchExpressions:\n      - {key: a, operator: Equals}\n", "spec.allocation.serviceSelector.matchExpressions[0].operator: the string 'Equals' is not one of")]
    [InlineData("  local: {}\n  remote: {}\n", "spec: must match exactly one of: {local} | {remote} | {netbox} | {external}; it matches 2")]
    [InlineData("  autoAssign: true\n", "spec: must match exactly one of: {local} | {remote} | {netbox} | {external}; it matches none")]
    public void Rejects_invalid_groups_saying_where_and_why(string spec, string expected)
    {
        Validate(Group(spec)).Should().Contain(v => v.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Requires_a_spec()
    {
        Validate("apiVersion: purelb.io/v1\nkind: ServiceGroup\nmetadata: {name: g}\n").Should().Equal("<root>: required field 'spec' is missing");
    }
}
