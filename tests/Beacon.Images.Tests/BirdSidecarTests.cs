using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;

namespace Beacon.Images.Tests;

/// <summary>
/// The bird image runs the k8s/overlays/bgp-bird sidecar as rendered: its command (busybox sh and touch), its
/// bird.conf from the ConfigMap, and the control socket the announcer reloads BIRD through.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class BirdSidecarTests
{
    [Fact]
    public async Task The_bird_image_runs_the_overlays_sidecar_command_and_answers_on_its_control_socket()
    {
        var rendered = RenderedWorkloads.Render("k8s/overlays/bgp-bird");
        var sidecar = RenderedWorkloads.Containers(rendered).Single(c => c.Workload == "DaemonSet/beacon-announcer" && c.Name == "bird");
        var command = sidecar.Container.Strings("command");
        var config = rendered.Single(o => o.Text("kind") == "ConfigMap"
            && o.Path("metadata")!.Text("name")!.StartsWith("beacon-bird-config", StringComparison.Ordinal)).Path("data")!.Text("bird.conf")!;
        command.Should().NotBeEmpty();

        using var image = await UnpackedImage.UnpackAsync(ImageCatalog.Images.Single(i => i.Reference == sidecar.Image));
        image.AddFile("/etc/bird-config/bird.conf", config);
        await using var node = await IsolatedNode.CreateAsync();
        await using var bird = BackgroundProcess.Start("ip", ["netns", "exec", node.Name, .. image.CommandLine(command)]);

        var socket = Path.Combine(image.RootFilesystem, "run", "bird", "bird.ctl");
        var status = await Eventually.MatchesAsync(
            async () => File.Exists(socket) ? (await HostCommand.RunAsync("birdc", "-s", socket, "show", "status")).StandardOutput : "",
            output => output.Contains("Daemon is up and running", StringComparison.Ordinal), TimeSpan.FromSeconds(60),
            $"BIRD answering on {socket} (bird: {bird.Output})", TimeSpan.FromMilliseconds(200));

        status.Should().Contain("Router ID is 192.0.2.2", "router id from the node's address, as bird.conf asks");
        File.Exists(Path.Combine(image.RootFilesystem, "etc", "bird", "beacon.conf")).Should().BeTrue("the command creates the announcer's include file");
        var protocols = await HostCommand.RunAsync("birdc", "-s", socket, "show", "protocols");
        protocols.StandardOutput.Should().Contain("uplink4");
    }
}
