using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;
using YamlDotNet.RepresentationModel;

namespace Beacon.Images.Tests;

/// <summary>
/// The frr image runs the k8s/overlays/bgp-frr sidecar as rendered (zebra and bgpd with bgpd.conf from the ConfigMap,
/// their vty sockets in a shared emptyDir), and the announcer-frr image's vtysh configures that FRR the way the
/// announcer in mode frr does.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class FrrSidecarTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_frr_image_runs_zebra_and_bgpd_and_the_announcer_frr_image_configures_them_through_vtysh()
    {
        var rendered = RenderedWorkloads.Render("k8s/overlays/bgp-frr");
        var containers = RenderedWorkloads.Containers(rendered).Where(c => c.Workload == "DaemonSet/beacon-announcer").ToList();
        var sidecar = containers.Single(c => c.Name == "frr");
        var announcer = containers.Single(c => c.Name == "announcer");
        var config = rendered.Single(o => o.Text("kind") == "ConfigMap"
            && o.Path("metadata")!.Text("name")!.StartsWith("beacon-frr-config", StringComparison.Ordinal)).Path("data")!;
        ((YamlSequenceNode)announcer.Container.Child("env")!).Children.Cast<YamlMappingNode>()
            .Single(e => e.Text("name") == "BEACON_MODE").Text("value").Should().Be("frr");

        using var frr = await UnpackedImage.UnpackAsync(ImageCatalog.Images.Single(i => i.Reference == sidecar.Image));
        using var announcerImage = await UnpackedImage.UnpackAsync(ImageCatalog.Images.Single(i => i.Reference == announcer.Image));
        foreach (var file in new[] { "bgpd.conf", "zebra.conf" })
            frr.AddFile("/etc/frr-config/" + file, config.Text(file)!);
        announcerImage.ShareDirectory("/run/frr", frr);
        await using var node = await IsolatedNode.CreateAsync();
        await using var daemons = BackgroundProcess.Start("ip", ["netns", "exec", node.Name, .. frr.CommandLine(sidecar.Container.Strings("command"))]);

        await Eventually.MatchesAsync(
            async () => (await RunAsync(node, frr, ["vtysh", "-c", "show version"])).ToString(),
            output => output.Contains("FRRouting", StringComparison.Ordinal), Timeout,
            "FRR answering vtysh (zebra and bgpd are started by the overlay's command)", TimeSpan.FromMilliseconds(200));
        // vtysh answers as soon as zebra is up; bgpd may still be starting, so its section is awaited, not sampled once.
        await Eventually.MatchesAsync(
            async () => (await RunAsync(node, frr, ["vtysh", "-c", "show running-config"])).StandardOutput,
            output => output.Contains("router bgp 64512", StringComparison.Ordinal), Timeout,
            "bgpd read bgpd.conf from the ConfigMap (router bgp 64512 in the running config)", TimeSpan.FromMilliseconds(200));

        // The kind of change the announcer makes (services/Announcer/Modes/Frr), with vtysh from its own image.
        var configure = await RunAsync(node, announcerImage,
            ["vtysh", "-c", "configure terminal", "-c", "router bgp 64512", "-c", "address-family ipv4 unicast", "-c", "network 198.51.100.7/32"]);
        configure.ExitCode.Should().Be(0, configure.ToString());
        var after = await RunAsync(node, frr, ["vtysh", "-c", "show running-config"]);
        after.StandardOutput.Should().Contain("network 198.51.100.7/32", after.ToString());
    }

    private static Task<CommandResult> RunAsync(IsolatedNode node, UnpackedImage image, IReadOnlyList<string> command) =>
        HostCommand.RunAsync("ip", ["netns", "exec", node.Name, .. image.CommandLine(command)], Timeout);
}
