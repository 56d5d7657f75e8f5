namespace Beacon.Allocator.Tests.Manifests;

/// <summary>k8s/overlays/allocator-only: the Allocator and its bus, nothing on the nodes (seed 004's PureLB without lbnodeagent).</summary>
public sealed class AllocatorOnlyOverlayTests
{
    [Fact]
    public void Renders_the_allocator_and_bus_without_any_node_component()
    {
        var documents = RenderedManifests.Render(RenderedManifests.AllocatorOnly);
        var names = documents.Select(d => $"{d.Kind}/{d.Root!["metadata"]!["name"]}").ToList();

        names.Should().Contain(["Deployment/beacon-allocator", "ClusterRole/beacon-allocator", "StatefulSet/beacon-nats",
            "CustomResourceDefinition/servicegroups.purelb.io", "CustomResourceDefinition/ipaddresspools.metallb.io"]);
        documents.Should().NotContain(d => d.Kind == "DaemonSet", "no NodeAgent or Announcer runs in this deployment");
        names.Should().NotContain(["ServiceAccount/beacon-nodeagent", "ServiceAccount/beacon-announcer"]);
    }

    [Fact]
    public void The_allocator_may_read_kube_proxys_configmap_and_nothing_else_in_kube_system()
    {
        var role = RenderedManifests.Single(RenderedManifests.Render(RenderedManifests.AllocatorOnly), "ClusterRole", "beacon-allocator");
        var rule = role["rules"]!.AsArray().Single(r => r!["resourceNames"]?.AsArray().Any(n => n!.GetValue<string>() == "kube-proxy") == true)!;
        rule["resources"]!.AsArray().Select(r => r!.GetValue<string>()).Should().Equal("configmaps");
        rule["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).Should().Equal("get");
    }
}
