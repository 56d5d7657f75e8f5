using System.Text.Json.Nodes;

namespace Beacon.Allocator.Tests.Manifests;

/// <summary>The Allocator gets exactly what it uses; nothing else in Beacon gets Kubernetes credentials.</summary>
public sealed class RbacTests
{
    private static readonly IReadOnlyList<Beacon.Allocator.Manifests.ManifestDocument> Rendered = RenderedManifests.Render("k8s");

    private static List<string> Rules(JsonObject role) =>
        role["rules"]!.AsArray().Select(r =>
        {
            string Join(string field) => r![field] is JsonArray a ? string.Join(",", a.Select(x => x!.GetValue<string>())) : "";
            var names = Join("resourceNames");
            return $"{Join("apiGroups")}|{Join("resources")}|{Join("verbs")}" + (names.Length > 0 ? $"|{names}" : "");
        }).ToList();

    [Fact]
    public void The_allocator_cluster_role_grants_exactly_what_the_controller_uses()
    {
        Rules(RenderedManifests.Single(Rendered, "ClusterRole", "beacon-allocator")).Should().BeEquivalentTo(
        [
            "|services|get,list,watch,patch",
            "|services/status|update,patch",
            "discovery.k8s.io|endpointslices|get,list,watch",
            "|nodes|get,list,watch",
            "|namespaces|get,list,watch",
            "purelb.io|servicegroups,lbnodeagents|get,list,watch",
            "purelb.io|servicegroups/status|update",
            "metallb.io|ipaddresspools,l2advertisements,bgpadvertisements,bgppeers,bfdprofiles,communities|get,list,watch",
            "network.kubesphere.io|eips,bgpconfs,bgppeers|get,list,watch",
            "network.kubesphere.io|eips/status|update",
            "metallb.io|ipaddresspools/status|update",
            "|configmaps|get,list,watch|config",
            "|configmaps|get|kube-proxy",
            "|events|create,patch",
        ]);
    }

    [Fact]
    public void Leader_election_is_confined_to_the_allocators_own_lease_in_its_namespace()
    {
        var role = RenderedManifests.Single(Rendered, "Role", "beacon-allocator-leader-election");

        role["metadata"]!["namespace"]!.GetValue<string>().Should().Be("beacon-system");
        Rules(role).Should().BeEquivalentTo(
        [
            "coordination.k8s.io|leases|get,update|beacon-allocator",
            "coordination.k8s.io|leases|create",
        ]);
    }

    [Fact]
    public void MetalLBs_status_objects_are_written_only_in_the_allocators_namespace()
    {
        var role = RenderedManifests.Single(Rendered, "Role", "beacon-allocator-status");

        role["metadata"]!["namespace"]!.GetValue<string>().Should().Be("beacon-system");
        Rules(role).Should().BeEquivalentTo(
        [
            "metallb.io|servicel2statuses,servicebgpstatuses,configurationstates|list,create,delete",
            "metallb.io|servicel2statuses/status,servicebgpstatuses/status,configurationstates/status|patch",
        ]);
    }

    [Fact]
    public void No_rule_uses_wildcards_or_touches_secrets()
    {
        var rules = Rendered.Where(d => d.Kind is "ClusterRole" or "Role").SelectMany(d => Rules(d.Root!.AsObject())).ToList();

        rules.Should().NotBeEmpty();
        rules.Should().NotContain(r => r.Contains('*', StringComparison.Ordinal));
        rules.Should().NotContain(r => r.Contains("secrets", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_allocator_service_account_is_bound_to_any_role()
    {
        var subjects = Rendered.Where(d => d.Kind is "ClusterRoleBinding" or "RoleBinding")
            .SelectMany(d => d.Root!["subjects"]!.AsArray())
            .Select(s => $"{s!["kind"]}/{s["namespace"]}/{s["name"]}")
            .Distinct()
            .ToList();

        subjects.Should().Equal("ServiceAccount/beacon-system/beacon-allocator");
    }

    [Fact]
    public void The_allocator_lease_name_matches_the_role()
    {
        var env = RenderedManifests.Single(Rendered, "Deployment", "beacon-allocator")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray();

        env.Single(e => e!["name"]!.GetValue<string>() == "BEACON_LEASE_NAME")!["value"]!.GetValue<string>()
            .Should().Be("beacon-allocator");
    }
}
