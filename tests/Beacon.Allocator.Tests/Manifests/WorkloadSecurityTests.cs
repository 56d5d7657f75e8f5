using System.Text.Json.Nodes;
using Beacon.Allocator.Manifests;

namespace Beacon.Allocator.Tests.Manifests;

public sealed class WorkloadSecurityTests
{
    public static TheoryData<string> Roots() => new(RenderedManifests.Roots);

    public static TheoryData<string> NodeComponentRoots() => new(RenderedManifests.NodeComponentRoots);

    private static JsonObject PodSpec(IEnumerable<ManifestDocument> documents, string kind, string name) =>
        RenderedManifests.Single(documents, kind, name)["spec"]!["template"]!["spec"]!.AsObject();

    // The routing daemon sidecars of the bgp-* overlays: all listen on (or may bind) TCP 179; zebra also asks for
    // SYS_ADMIN (network namespaces); gobgpd installs no routes, so binding is all it needs.
    private static readonly Dictionary<string, string[]> RoutingDaemonCapabilities = new(StringComparer.Ordinal)
    {
        ["bird"] = ["NET_ADMIN", "NET_RAW", "NET_BIND_SERVICE"],
        ["frr"] = ["NET_ADMIN", "NET_RAW", "NET_BIND_SERVICE", "SYS_ADMIN"],
        ["gobgpd"] = ["NET_BIND_SERVICE"],
    };

    private static List<string> Strings(JsonNode? array) => array is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];

    [Theory]
    [MemberData(nameof(NodeComponentRoots))]
    public void Node_daemonsets_run_on_the_host_network_without_credentials_and_with_only_NET_ADMIN_and_NET_RAW(string root)
    {
        var documents = RenderedManifests.Render(root);
        foreach (var name in new[] { "beacon-nodeagent", "beacon-announcer" })
        {
            var pod = PodSpec(documents, "DaemonSet", name);
            pod["hostNetwork"]!.GetValue<bool>().Should().BeTrue(name);
            pod["automountServiceAccountToken"]!.GetValue<bool>().Should().BeFalse(name);
            pod["serviceAccountName"]!.GetValue<string>().Should().Be(name);
            RenderedManifests.Single(documents, "ServiceAccount", name)["automountServiceAccountToken"]!.GetValue<bool>().Should().BeFalse();

            foreach (var container in pod["containers"]!.AsArray())
            {
                var security = container!["securityContext"]!;
                security["privileged"]?.GetValue<bool>().Should().NotBe(true);
                security["allowPrivilegeEscalation"]!.GetValue<bool>().Should().BeFalse();
                security["readOnlyRootFilesystem"]!.GetValue<bool>().Should().BeTrue();
                Strings(security["capabilities"]!["drop"]).Should().Equal("ALL");
                var added = Strings(security["capabilities"]!["add"]);
                var sidecar = RoutingDaemonCapabilities.GetValueOrDefault(container["name"]!.GetValue<string>());
                added.Should().BeEquivalentTo(sidecar ?? ["NET_ADMIN", "NET_RAW"], $"{name}/{container["name"]} in {root}");
            }
        }
    }

    [Fact]
    public void The_allocator_runs_two_non_root_replicas_with_probes_limits_and_a_read_only_root()
    {
        var documents = RenderedManifests.Render("k8s");
        var deployment = RenderedManifests.Single(documents, "Deployment", "beacon-allocator");
        var pod = PodSpec(documents, "Deployment", "beacon-allocator");
        var container = pod["containers"]!.AsArray().Single()!;

        deployment["spec"]!["replicas"]!.GetValue<long>().Should().Be(2);
        pod["hostNetwork"].Should().BeNull();
        pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>().Should().BeTrue();
        pod["serviceAccountName"]!.GetValue<string>().Should().Be("beacon-allocator");
        container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>().Should().BeTrue();
        container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>().Should().BeFalse();
        Strings(container["securityContext"]!["capabilities"]!["drop"]).Should().Equal("ALL");
        container["securityContext"]!["capabilities"]!["add"].Should().BeNull();
        container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>().Should().Be("/healthz");
        container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>().Should().Be("/readyz");
        container["resources"]!["requests"]!["memory"].Should().NotBeNull();
        container["resources"]!["limits"]!["memory"].Should().NotBeNull();
    }
}
