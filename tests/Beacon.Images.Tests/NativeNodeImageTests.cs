using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;

namespace Beacon.Images.Tests;

/// <summary>
/// The node component images carry the NativeAOT executables (what docs/benchmarks.md "Footprint" measured) on the
/// plain Debian layer, with every library they link or load at run time (OpenSSL for TLS to NATS, libpcap for
/// ARP/NDP), and no .NET runtime.
/// </summary>
[Collection(BuiltImagesCollection.Name)]
public sealed class NativeNodeImageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static TheoryData<string> NativeImages => new(ImageCatalog.Images.Where(i => i.NativeAot).Select(i => i.Name));

    [Fact]
    public void The_node_components_and_only_they_are_NativeAOT_images()
    {
        ImageCatalog.Images.Where(i => i.NativeAot).Select(i => i.Name).Should().BeEquivalentTo(["nodeagent", "announcer", "announcer-frr"]);
    }

    [Theory]
    [MemberData(nameof(NativeImages))]
    public async Task The_executable_and_the_libraries_it_loads_resolve_inside_the_image_without_a_dotnet_runtime(string name)
    {
        using var image = await UnpackedImage.UnpackAsync(ImageCatalog.Named(name));
        var executable = image.Entrypoint[0];

        Directory.Exists(Path.Combine(image.RootFilesystem, "usr", "share", "dotnet")).Should().BeFalse("a NativeAOT executable needs no .NET runtime");
        image.Environment.Should().NotContain(e => e.StartsWith("DOTNET_ROOT=", StringComparison.Ordinal));
        Directory.EnumerateFiles(Path.Combine(image.RootFilesystem, "app")).Select(Path.GetFileName)
            .Should().NotContain(f => f!.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".dbg", StringComparison.Ordinal) || f.EndsWith(".pdb", StringComparison.Ordinal),
                "the executable is the whole program; its stripped symbols stay out of the image");
        // What the executable links (ldd as the image's own dynamic loader resolves it), and what it dlopens: OpenSSL
        // (TLS to NATS, through .NET's statically linked OpenSSL shim) and libpcap (SharpPcap) with its own needs.
        foreach (var binary in new[] { executable, "/usr/lib/x86_64-linux-gnu/libssl.so.3", "/usr/lib/x86_64-linux-gnu/libpcap.so.0.8" })
        {
            var command = image.CommandLine(["/lib64/ld-linux-x86-64.so.2", "--list", binary]);
            var list = await HostCommand.RunAsync(command[0], command.Skip(1), Timeout);
            list.ExitCode.Should().Be(0, $"{binary} in {name}: {list}");
            list.StandardOutput.Should().NotContain("not found", $"{binary} in {name}");
        }
    }

    [Fact]
    public async Task The_announcer_image_in_l2_mode_opens_its_interface_with_libpcap_joins_a_TLS_bus_and_answers_its_probes()
    {
        using var image = await UnpackedImage.UnpackAsync(ImageCatalog.Named("announcer"));
        var state = Directory.CreateTempSubdirectory("beacon-image-tls-");
        try
        {
            var pki = TestCertificates.Create(Path.Combine(state.FullName, "pki"));
            image.AddFile("/etc/beacon/nats-ca.pem", await File.ReadAllTextAsync(pki.CaFile));
            var config = Path.Combine(state.FullName, "nats.conf");
            await File.WriteAllTextAsync(config,
                new NatsServerConfig { Tls = new NatsServerTls(pki.ServerCertFile, pki.ServerKeyFile) }.Render(4222, Path.Combine(state.FullName, "js")));
            await using var node = await IsolatedNode.CreateAsync();
            await using var nats = InNamespace(node, [NatsServerBinary.Path, "-c", config]);
            await nats.WaitForLineAsync(l => l.Contains("Server is ready", StringComparison.Ordinal), Timeout);

            await using var announcer = InNamespace(node, image.EntrypointCommandLine(
                "--mode", "l2", "--node-name", "image-node", "--interfaces", "eth0",
                "--nats-url", "tls://127.0.0.1:4222", "--nats-tls-ca-file", "/etc/beacon/nats-ca.pem",
                "--http-address", "127.0.0.1", "--http-port", "9472", "--log-format", "text"));

            await announcer.WaitForLineAsync(l => l.Contains("l2 mode answering ARP/NDP on eth0", StringComparison.Ordinal), Timeout);
            (await Curl(node, "/healthz")).Should().Be("200 ok\n");
            // Ready only once the bus is joined, over TLS with the CA from the image's file.
            await Eventually.MatchesAsync(() => Curl(node, "/readyz"), body => body.StartsWith("200 ready", StringComparison.Ordinal), Timeout,
                $"/readyz 200 (announcer: {announcer.Output})", TimeSpan.FromMilliseconds(100));
            announcer.HasExited.Should().BeFalse(announcer.Output);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    /// <summary>"STATUS body" as curl sees it from inside the namespace.</summary>
    private static async Task<string> Curl(IsolatedNode node, string path)
    {
        var result = await HostCommand.RunAsync("ip",
            ["netns", "exec", node.Name, "curl", "-s", "-o", "/dev/stdout", "-w", " %{http_code}", $"http://127.0.0.1:9472{path}"], Timeout);
        var text = result.StandardOutput;
        var space = text.LastIndexOf(' ');
        return space < 0 ? text : text[(space + 1)..] + " " + text[..space];
    }

    private static BackgroundProcess InNamespace(IsolatedNode node, IReadOnlyList<string> command) =>
        BackgroundProcess.Start("ip", ["netns", "exec", node.Name, .. command]);
}
