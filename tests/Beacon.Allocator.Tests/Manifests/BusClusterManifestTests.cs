using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Beacon.Allocator.Manifests;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;

namespace Beacon.Allocator.Tests.Manifests;

/// <summary>k8s/bus: three nats-servers clustered with JetStream, as rendered by kustomize (alone and in every install).</summary>
public sealed class BusClusterManifestTests
{
    public static TheoryData<string> Roots() => new(["k8s/bus", .. RenderedManifests.Roots]);

    [Theory]
    [MemberData(nameof(Roots))]
    public void The_bus_is_a_three_server_statefulset_with_storage_a_headless_service_and_a_disruption_budget(string root)
    {
        var documents = RenderedManifests.Render(root);
        var set = RenderedManifests.Single(documents, "StatefulSet", "beacon-nats");
        var spec = set["spec"]!;

        spec["replicas"]!.GetValue<long>().Should().Be(3);
        spec["podManagementPolicy"]!.GetValue<string>().Should().Be("Parallel", "a server is ready only once JetStream has a quorum");
        var headless = RenderedManifests.Single(documents, "Service", spec["serviceName"]!.GetValue<string>());
        headless["spec"]!["clusterIP"]!.GetValue<string>().Should().Be("None");
        headless["spec"]!["publishNotReadyAddresses"]!.GetValue<bool>().Should().BeTrue();
        RenderedManifests.Single(documents, "Service", "beacon-nats")["spec"]!["ports"]!.AsArray()
            .Select(p => p!["port"]!.GetValue<long>()).Should().Contain(4222, "components connect to beacon-nats.beacon-system.svc:4222");

        var claim = spec["volumeClaimTemplates"]!.AsArray().Single()!;
        var container = spec["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        container["volumeMounts"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()).Should().Contain(claim["metadata"]!["name"]!.GetValue<string>());
        container["resources"]!["requests"]!["cpu"].Should().NotBeNull();
        container["resources"]!["requests"]!["memory"].Should().NotBeNull();
        container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>().Should().BeTrue();

        var budget = RenderedManifests.Single(documents, "PodDisruptionBudget", "beacon-nats")["spec"]!;
        budget["maxUnavailable"]!.GetValue<long>().Should().Be(1);
        budget["selector"]!["matchLabels"]!.ToJsonString().Should().Be(spec["selector"]!["matchLabels"]!.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Roots))]
    public void Every_server_enables_jetstream_routes_to_every_peer_and_keeps_the_component_permissions(string root)
    {
        var documents = RenderedManifests.Render(root);
        var spec = RenderedManifests.Single(documents, "StatefulSet", "beacon-nats")["spec"]!;
        var files = MountedConfig(documents, spec);
        var config = files["nats-server.conf"];

        config.Should().MatchRegex(@"(?m)^jetstream \{[^}]*store_dir: /data/jetstream");
        var dataMount = spec["template"]!["spec"]!["containers"]![0]!["volumeMounts"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "data")!;
        dataMount["mountPath"]!.GetValue<string>().Should().Be("/data", "JetStream must store on the PersistentVolume");

        var replicas = spec["replicas"]!.GetValue<long>();
        var peers = Enumerable.Range(0, (int)replicas)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $"nats://beacon-nats-{i}.{spec["serviceName"]}.beacon-system.svc:6222"))
            .ToList();
        var routes = config.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("nats://", StringComparison.Ordinal)).ToList();
        routes.Should().BeEquivalentTo(peers);
        config.Should().Contain("server_name: $POD_NAME");

        config.Should().Contain("include authorization.conf");
        files["authorization.conf"].Should().Be(File.ReadAllText(RepositoryRoot.Combine("k8s", "nats", "authorization.conf")));
    }

    [Fact]
    public async Task Nats_server_accepts_the_rendered_configuration()
    {
        var documents = RenderedManifests.Render("k8s/bus");
        var spec = RenderedManifests.Single(documents, "StatefulSet", "beacon-nats")["spec"]!;
        var directory = Directory.CreateTempSubdirectory("beacon-bus-config-").FullName;
        try
        {
            foreach (var (name, text) in MountedConfig(documents, spec))
            {
                // Only the store path differs: /data is the pod's volume.
                await File.WriteAllTextAsync(Path.Combine(directory, name), text.Replace("/data/jetstream", Path.Combine(directory, "js"), StringComparison.Ordinal));
            }

            var secret = documents.Single(d => d.Kind == "Secret" && d.Root!["metadata"]!["name"]!.GetValue<string>().StartsWith("beacon-nats-credentials", StringComparison.Ordinal));
            var environment = secret.Root!["data"]!.AsObject()
                .Select(p => $"{p.Key}={Encoding.UTF8.GetString(Convert.FromBase64String(p.Value!.GetValue<string>()))}")
                .Append("POD_NAME=beacon-nats-0");
            var check = await HostCommand.RunAsync("env", [.. environment, NatsServerBinary.Path, "-c", Path.Combine(directory, "nats-server.conf"), "-t"]);

            check.ExitCode.Should().Be(0, check.StandardOutput + check.StandardError);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The files the projected config volume puts in /etc/nats, followed from the pod spec to the ConfigMaps.</summary>
    private static Dictionary<string, string> MountedConfig(IReadOnlyList<ManifestDocument> documents, JsonNode spec)
    {
        var volume = spec["template"]!["spec"]!["volumes"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "config")!;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in volume["projected"]!["sources"]!.AsArray())
        {
            var map = RenderedManifests.Single(documents, "ConfigMap", source!["configMap"]!["name"]!.GetValue<string>());
            foreach (var item in source["configMap"]!["items"]!.AsArray())
            {
                files[item!["path"]!.GetValue<string>()] = map["data"]![item["key"]!.GetValue<string>()]!.GetValue<string>();
            }
        }

        return files;
    }
}
