using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;

namespace Beacon.Images.Tests;

/// <summary>
/// The images do the job, not just start: in a test-created network namespace (nothing reaches the host's network),
/// a nats-server, the Allocator image in standalone mode over a sample manifest, the NodeAgent image on the namespace's
/// eth0 and the beaconctl image, each run from its own unpacked root filesystem.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class ImageRuntimeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static readonly string Manifests = SingleNodeManifests.For("image-node");

    [Fact]
    public async Task The_allocator_image_allocates_a_sample_and_the_nodeagent_image_plumbs_it_on_the_nodes_interface()
    {
        using var allocatorImage = await UnpackedImage.UnpackAsync(ImageCatalog.Named("allocator"));
        using var nodeAgentImage = await UnpackedImage.UnpackAsync(ImageCatalog.Named("nodeagent"));
        using var beaconctlImage = await UnpackedImage.UnpackAsync(ImageCatalog.Named("beaconctl"));
        allocatorImage.AddFile("/etc/beacon/manifests/sample.yaml", Manifests);
        await using var node = await IsolatedNode.CreateAsync();
        const string natsUrl = "nats://127.0.0.1:4222";

        // Desired state lives in JetStream streams, so the server needs JetStream (its store is thrown away with the test).
        var natsStore = Directory.CreateTempSubdirectory("beacon-image-nats-");
        await using var removeStore = new DirectoryRemoval(natsStore);
        await using var nats = InNamespace(node, [NatsServerBinary.Path, "-a", "127.0.0.1", "-p", "4222", "-js", "-sd", natsStore.FullName]);
        await nats.WaitForLineAsync(l => l.Contains("Server is ready", StringComparison.Ordinal), Timeout);
        await using var allocator = InNamespace(node, allocatorImage.EntrypointCommandLine(
            "--source", "standalone", "--manifests-directory", "/etc/beacon/manifests", "--state-file", "/tmp/assignments.json",
            "--nats-url", natsUrl, "--http-address", "127.0.0.1", "--http-port", "9470", "--log-format", "text"));
        await allocator.WaitForLineAsync(l => l.Contains("Leading: ", StringComparison.Ordinal), Timeout);
        await using var nodeAgent = InNamespace(node, nodeAgentImage.EntrypointCommandLine(
            "--node-name", "image-node", "--interface", "eth0", "--nats-url", natsUrl,
            "--http-address", "127.0.0.1", "--http-port", "9471", "--log-format", "text"));

        var addresses = await Eventually.MatchesAsync(
            async () => (await HostCommand.RunAsync("ip", "-n", node.Name, "-4", "-o", "addr", "show", "dev", "eth0")).StandardOutput,
            output => output.Contains("192.0.2.200/", StringComparison.Ordinal), Timeout,
            $"192.0.2.200 on eth0 (allocator: {allocator.Output}\nnodeagent: {nodeAgent.Output})", TimeSpan.FromMilliseconds(200));
        addresses.Should().Contain("192.0.2.2/24", "the node's own address stays");

        var status = beaconctlImage.EntrypointCommandLine("status", "--nats-url", natsUrl);
        var run = await HostCommand.RunAsync("ip", ["netns", "exec", node.Name, .. status], Timeout);
        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Should().MatchRegex(@"demo/web\s*│\s*lan\s*│\s*192\.0\.2\.200\s*│\s*Allocated");
        allocator.HasExited.Should().BeFalse(allocator.Output);
        nodeAgent.HasExited.Should().BeFalse(nodeAgent.Output);
    }

    /// <summary>Deletes a directory when disposed, after what was declared after it (a server writing into it) has stopped.</summary>
    private sealed class DirectoryRemoval(DirectoryInfo directory) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            directory.Delete(recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    private static BackgroundProcess InNamespace(IsolatedNode node, IReadOnlyList<string> command) =>
        BackgroundProcess.Start("ip", ["netns", "exec", node.Name, .. command]);
}
