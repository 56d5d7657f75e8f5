using System.Globalization;
using System.Text.Json.Nodes;

namespace Beacon.Allocator.Tests.Manifests;

/// <summary>
/// Every Beacon component in every rendered install talks to the k8s/bus cluster as a cluster: it lists every server
/// (so it fails over and can start with any one down), and the Allocator keeps one copy of each stream per server on
/// file storage.
/// </summary>
public sealed class NatsClientSettingsManifestTests
{
    public static TheoryData<string> Roots() => new([.. RenderedManifests.Roots]);

    [Theory]
    [MemberData(nameof(Roots))]
    public void Every_component_lists_every_nats_server_and_the_allocator_keeps_three_file_replicas_of_each_stream(string root)
    {
        var documents = RenderedManifests.Render(root);
        var bus = RenderedManifests.Single(documents, "StatefulSet", "beacon-nats")["spec"]!;
        var servers = (int)bus["replicas"]!.GetValue<long>();
        var namespaceName = RenderedManifests.Single(documents, "StatefulSet", "beacon-nats")["metadata"]!["namespace"]!.GetValue<string>();
        var expected = Enumerable.Range(0, servers)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"nats://beacon-nats-{i}.{bus["serviceName"]}.{namespaceName}.svc:4222"))
            .ToList();

        var workloads = root == RenderedManifests.AllocatorOnly
            ? new[] { ("Deployment", "beacon-allocator") }
            : new[] { ("Deployment", "beacon-allocator"), ("DaemonSet", "beacon-nodeagent"), ("DaemonSet", "beacon-announcer") };
        foreach (var (kind, name) in workloads)
        {
            var env = Environment(RenderedManifests.Single(documents, kind, name));
            env.GetValueOrDefault("BEACON_NATS_URL", "").Split(',').Should().BeEquivalentTo(expected, $"{name} lists every server of the StatefulSet");
        }

        var allocator = Environment(RenderedManifests.Single(documents, "Deployment", "beacon-allocator"));
        allocator.GetValueOrDefault("BEACON_NATS_STREAM_REPLICAS").Should().Be(servers.ToString(CultureInfo.InvariantCulture), "one copy of each stream per server");
        allocator.GetValueOrDefault("BEACON_NATS_STREAM_STORAGE").Should().Be("file", "the servers have PersistentVolumes: state survives restarting them all");
    }

    private static Dictionary<string, string> Environment(JsonObject workload) =>
        workload["spec"]!["template"]!["spec"]!["containers"]!.AsArray()
            .Single(c => c!["name"]!.GetValue<string>() is not ("bird" or "frr" or "gobgp") && c["env"] is not null && c["env"]!.AsArray().Any(e => e!["name"]!.GetValue<string>() == "BEACON_NATS_URL"))!
            ["env"]!.AsArray()
            .Where(e => e!["value"] is not null)
            .ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>(), StringComparer.Ordinal);
}
