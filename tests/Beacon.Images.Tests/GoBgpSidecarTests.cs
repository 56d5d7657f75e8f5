using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;
using YamlDotNet.RepresentationModel;

namespace Beacon.Images.Tests;

/// <summary>
/// The gobgp image runs the k8s/overlays/bgp-gobgp sidecar as rendered (gobgpd with the init container's copy of
/// gobgpd.toml from the ConfigMap, which the announcer extends with resource peers; its API on a socket in a shared
/// emptyDir), and the announcer image runs the gobgp CLI the init container copies
/// out of the gobgp image, the way the announcer in mode gobgp calls it.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class GoBgpSidecarTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_gobgp_image_runs_gobgpd_and_the_announcer_reaches_it_with_the_copied_cli()
    {
        var rendered = RenderedWorkloads.Render("k8s/overlays/bgp-gobgp");
        var containers = RenderedWorkloads.Containers(rendered).Where(c => c.Workload == "DaemonSet/beacon-announcer").ToList();
        var sidecar = containers.Single(c => c.Name == "gobgpd");
        var copy = containers.Single(c => c.Name == "gobgp-cli");
        var configCopy = containers.Single(c => c.Name == "gobgpd-config");
        var announcer = containers.Single(c => c.Name == "announcer");
        var config = rendered.Single(o => o.Text("kind") == "ConfigMap"
            && o.Path("metadata")!.Text("name")!.StartsWith("beacon-gobgp-config", StringComparison.Ordinal)).Path("data")!.Text("gobgpd.toml")!;
        var cli = Environment(announcer, "BEACON_GOBGP_GOBGP_PATH");
        var target = Environment(announcer, "BEACON_GOBGP_API_TARGET");
        Environment(announcer, "BEACON_MODE").Should().Be("gobgp");

        using var gobgp = await UnpackedImage.UnpackAsync(ImageCatalog.Images.Single(i => i.Reference == sidecar.Image));
        using var announcerImage = await UnpackedImage.UnpackAsync(ImageCatalog.Images.Single(i => i.Reference == announcer.Image));
        gobgp.AddFile("/etc/gobgp-config/gobgpd.toml", config);
        announcerImage.ShareDirectory(Path.GetDirectoryName(cli)!, gobgp);
        announcerImage.ShareDirectory(Path.GetDirectoryName(new Uri(target).AbsolutePath)!, gobgp);
        await using var node = await IsolatedNode.CreateAsync();
        var configured = await RunAsync(node, gobgp, configCopy.Container.Strings("command"));
        configured.ExitCode.Should().Be(0, configured.ToString());
        Environment(announcer, "BEACON_GOBGP_CONFIG_PATH").Should().Be("/run/gobgp/gobgpd.toml", "the announcer writes peers into the file gobgpd runs with");
        await using var daemon = BackgroundProcess.Start("ip", ["netns", "exec", node.Name, .. gobgp.CommandLine(sidecar.Container.Strings("command"))]);
        var copied = await RunAsync(node, gobgp, copy.Container.Strings("command"));
        copied.ExitCode.Should().Be(0, copied.ToString());

        var global = await Eventually.MatchesAsync(
            async () => (await RunAsync(node, gobgp, ["gobgp", "--target", target, "global"])).StandardOutput,
            output => output.Contains("64512", StringComparison.Ordinal), Timeout,
            $"gobgpd answering on {target} (gobgpd: {daemon.Output})", TimeSpan.FromMilliseconds(200));
        global.Should().Contain("192.0.2.2", "the router id gobgpd.toml sets");

        // What the announcer runs for a route (services/Announcer/Modes/GoBgp), from its own image.
        var add = await RunAsync(node, announcerImage, [cli, "--target", target, "global", "rib", "add", "198.51.100.7/32", "-a", "ipv4"]);
        add.ExitCode.Should().Be(0, add.ToString());
        var rib = await RunAsync(node, gobgp, ["gobgp", "--target", target, "global", "rib", "-a", "ipv4"]);
        rib.StandardOutput.Should().Contain("198.51.100.7/32", rib.ToString());
    }

    private static Task<CommandResult> RunAsync(IsolatedNode node, UnpackedImage image, IReadOnlyList<string> command) =>
        HostCommand.RunAsync("ip", ["netns", "exec", node.Name, .. image.CommandLine(command)], Timeout);

    private static string Environment(RenderedContainer container, string name) =>
        ((YamlSequenceNode)container.Container.Child("env")!).Children.Cast<YamlMappingNode>().Single(e => e.Text("name") == name).Text("value")!;
}
