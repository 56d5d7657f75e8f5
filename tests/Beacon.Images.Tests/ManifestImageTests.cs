using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Beacon.Images.Tests;

/// <summary>
/// k8s/ (every overlay, rendered) and compose/ name exactly the images the build produces, and run each one the way
/// it is built: as its user, with exactly its capabilities, with probes, priorities and resources that fit.
/// </summary>
public sealed partial class ManifestImageTests
{
    public static TheoryData<string> Roots => new(RenderedWorkloads.Roots);

    public static TheoryData<string> RootsWithNodeComponents => new(RenderedWorkloads.WithNodeComponents);

    private static readonly HashSet<string> Built = ImageCatalog.Images.Select(i => i.Reference).ToHashSet(StringComparer.Ordinal);

    private static bool IsBeacon(RenderedContainer c) => c.Image.StartsWith(ImageCatalog.Registry + "/", StringComparison.Ordinal);

    private static ImageDefinition ImageOf(RenderedContainer c) => ImageCatalog.Images.Single(i => i.Reference == c.Image);

    [Theory]
    [MemberData(nameof(Roots))]
    public void Every_image_a_rendered_overlay_names_is_built_or_declared_external(string root)
    {
        var images = RenderedWorkloads.Containers(RenderedWorkloads.Render(root)).Select(c => c.Image).Distinct().ToList();

        images.Should().NotBeEmpty();
        images.Should().OnlyContain(i => Built.Contains(i) || ImageCatalog.External.ContainsKey(i),
            $"{root} may only name images images/images.json builds ({string.Join(", ", Built)}) or declares external");
    }

    [Fact]
    public void Every_image_the_compose_file_names_is_built_or_declared_external()
    {
        var images = ComposeImages();

        images.Should().Contain(["ghcr.io/beacon-lb/allocator:0.1.0", "ghcr.io/beacon-lb/nodeagent:0.1.0", "ghcr.io/beacon-lb/announcer:0.1.0"]);
        images.Should().OnlyContain(i => Built.Contains(i) || ImageCatalog.External.ContainsKey(i));
    }

    [Fact]
    public void Every_built_service_image_is_deployed_somewhere()
    {
        var named = RenderedWorkloads.Roots.SelectMany(r => RenderedWorkloads.Containers(RenderedWorkloads.Render(r)))
            .Select(c => c.Image).Concat(ComposeImages()).ToHashSet(StringComparer.Ordinal);

        // beaconctl is run by hand (kubectl run / docker run), not deployed.
        ImageCatalog.Images.Where(i => i.Name != "beaconctl").Should().OnlyContain(i => named.Contains(i.Reference));
    }

    [Theory]
    [MemberData(nameof(Roots))]
    public void Each_container_runs_as_its_images_user_with_exactly_its_images_capabilities(string root)
    {
        foreach (var container in RenderedWorkloads.Containers(RenderedWorkloads.Render(root)).Where(IsBeacon))
        {
            var image = ImageOf(container);
            var security = container.Container.Path("securityContext");
            var podSecurity = container.Pod.Path("securityContext");
            var because = $"{container.Workload}/{container.Name} in {root} runs {image.Reference}";

            var user = security?.Text("runAsUser") ?? podSecurity?.Text("runAsUser");
            user.Should().Be(image.User.Split(':')[0], because);
            var nonRoot = security?.Text("runAsNonRoot") ?? podSecurity?.Text("runAsNonRoot");
            nonRoot.Should().Be(image.RunsAsRoot ? "false" : "true", because);
            security.Path("capabilities").Strings("drop").Should().Equal(["ALL"], because);
            security.Path("capabilities").Strings("add").Should().BeEquivalentTo(image.Capabilities, because);
            security.Text("allowPrivilegeEscalation").Should().Be("false", because);
            security.Text("readOnlyRootFilesystem").Should().Be("true", because);
        }
    }

    [Fact]
    public void The_compose_file_grants_each_service_exactly_its_images_capabilities()
    {
        foreach (var (service, definition) in ComposeServices())
        {
            var image = ImageCatalog.Images.SingleOrDefault(i => i.Reference == definition.Text("image"));
            if (image is null)
                continue;
            definition.Strings("cap_add").Should().BeEquivalentTo(image.Capabilities, service);
        }
    }

    [Theory]
    [MemberData(nameof(Roots))]
    public void Beacon_services_have_probes_on_healthz_and_readyz_and_memory_requests_and_limits(string root)
    {
        foreach (var container in RenderedWorkloads.Containers(RenderedWorkloads.Render(root)).Where(IsBeacon).Where(c => ImageOf(c).Project is not null))
        {
            var because = $"{container.Workload}/{container.Name} in {root}";
            container.Container.Path("livenessProbe", "httpGet")!.Text("path").Should().Be("/healthz", because);
            container.Container.Path("readinessProbe", "httpGet")!.Text("path").Should().Be("/readyz", because);
            container.Container.Path("resources", "requests")!.Text("memory").Should().NotBeNull(because);
            container.Container.Path("resources", "requests")!.Text("cpu").Should().NotBeNull(because);
            container.Container.Path("resources", "limits")!.Text("memory").Should().NotBeNull(because);
        }
    }

    [Theory]
    [MemberData(nameof(RootsWithNodeComponents))]
    public void Node_components_are_system_node_critical(string root)
    {
        var objects = RenderedWorkloads.Render(root);
        foreach (var name in new[] { "beacon-nodeagent", "beacon-announcer" })
            RenderedWorkloads.Single(objects, "DaemonSet", name).Path("spec", "template", "spec")!.Text("priorityClassName")
                .Should().Be("system-node-critical", name);
    }

    [Theory]
    [MemberData(nameof(Roots))]
    public void A_disruption_budget_keeps_one_allocator_replica_through_node_drains(string root)
    {
        var objects = RenderedWorkloads.Render(root);
        var budget = RenderedWorkloads.Single(objects, "PodDisruptionBudget", "beacon-allocator");
        var deployment = RenderedWorkloads.Single(objects, "Deployment", "beacon-allocator");

        budget.Path("spec")!.Text("minAvailable").Should().Be("1");
        budget.Path("metadata")!.Text("namespace").Should().Be("beacon-system");
        var selector = budget.Path("spec", "selector", "matchLabels")!;
        var podLabels = deployment.Path("spec", "template", "metadata", "labels")!;
        selector.Children.Should().NotBeEmpty();
        foreach (var (key, value) in selector.Children)
            podLabels.Text(((YamlScalarNode)key).Value!).Should().Be(((YamlScalarNode)value).Value);
        int.Parse(deployment.Path("spec")!.Text("replicas")!, CultureInfo.InvariantCulture).Should().BeGreaterThan(1,
            "with one replica a budget of one would block every drain");
    }

    [Fact]
    public void The_allocator_memory_request_covers_the_measured_footprint_and_the_limit_leaves_headroom()
    {
        var benchmarks = File.ReadAllText(Path.Combine(ImageCatalog.RepositoryRoot, "docs", "benchmarks.md"));
        var measured = MeasuredAllocatorPeak().Match(benchmarks);
        measured.Success.Should().BeTrue("docs/benchmarks.md reports the Allocator's peak RSS with 10,000 Services");
        var peakMiB = int.Parse(measured.Groups[1].Value, CultureInfo.InvariantCulture);

        var container = RenderedWorkloads.Containers(RenderedWorkloads.Render("k8s")).Single(c => c.Name == "allocator");
        var request = MiB(container.Container.Path("resources", "requests")!.Text("memory")!);
        var limit = MiB(container.Container.Path("resources", "limits")!.Text("memory")!);

        request.Should().BeGreaterThanOrEqualTo(peakMiB, "the scheduler must reserve what 10,000 Services take");
        limit.Should().BeGreaterThanOrEqualTo(2 * peakMiB, "a restart with 10,000 Services in place must not hit the limit");
    }

    [Theory]
    [InlineData("NodeAgent", "beacon-nodeagent", "nodeagent")]
    [InlineData("Announcer", "beacon-announcer", "announcer")]
    public void Node_component_memory_requests_cover_the_measured_image_footprint_with_headroom_in_the_limit(string component, string daemonSet, string container)
    {
        var benchmarks = File.ReadAllText(Path.Combine(ImageCatalog.RepositoryRoot, "docs", "benchmarks.md"));
        var measured = Regex.Match(benchmarks, $@"\| {component}[^|]*\| \d+ MiB / (\d+) MiB \|");
        measured.Success.Should().BeTrue($"docs/benchmarks.md (Container footprint) reports the {component}'s peak RSS");
        var peakMiB = int.Parse(measured.Groups[1].Value, CultureInfo.InvariantCulture);

        foreach (var root in RenderedWorkloads.WithNodeComponents)
        {
            var resources = RenderedWorkloads.Containers(RenderedWorkloads.Render(root))
                .Single(c => c.Workload == "DaemonSet/" + daemonSet && c.Name == container).Container.Path("resources");
            MiB(resources.Path("requests")!.Text("memory")!).Should().BeGreaterThanOrEqualTo(peakMiB, root);
            MiB(resources.Path("limits")!.Text("memory")!).Should().BeGreaterThanOrEqualTo(2 * peakMiB, root);
        }
    }

    private static int MiB(string quantity) => quantity.EndsWith("Gi", StringComparison.Ordinal)
        ? int.Parse(quantity[..^2], CultureInfo.InvariantCulture) * 1024
        : int.Parse(quantity.TrimEnd('M', 'i'), CultureInfo.InvariantCulture);

    private static List<string> ComposeImages() => ComposeServices().Select(s => s.Definition.Text("image")!).ToList();

    private static IEnumerable<(string Service, YamlMappingNode Definition)> ComposeServices()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(ImageCatalog.RepositoryRoot, "compose", "docker-compose.yml"))));
        var services = ((YamlMappingNode)stream.Documents[0].RootNode).Path("services")!;
        return services.Children.Select(p => (((YamlScalarNode)p.Key).Value!, (YamlMappingNode)p.Value));
    }

    [GeneratedRegex(@"Allocator memory after 10,000 \(RSS / peak RSS\) \| \d+ MiB / (\d+) MiB")]
    private static partial Regex MeasuredAllocatorPeak();
}
