using Beacon.Services.Tests.Processes;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;

namespace Beacon.Services.Tests.NativeAot;

/// <summary>
/// The NativeAOT NodeAgent and Announcer do the job, not just start: same options and help as the JIT build (trimming
/// kept every option), probes and metrics, a bus joined, an address allocated by the (JIT) Allocator plumbed on the
/// node's interface and withdrawn on SIGTERM. Everything runs in a test-created namespace.
/// </summary>
public sealed class NativeAotSmokeTests(NativeAotBuilds builds) : IClassFixture<NativeAotBuilds>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly string Manifests = SingleNodeManifests.For("aot-node");

    [Theory]
    [InlineData("NodeAgent")]
    [InlineData("Announcer")]
    public async Task The_native_build_lists_exactly_the_options_of_the_JIT_build(string service)
    {
        await using var jit = await ServiceProcess.RunToExitAsync(service, ["--help"], Timeout);
        var native = await HostCommand.RunAsync(builds.PathOf(service), ["--help"], Timeout);

        native.ExitCode.Should().Be(0, native.ToString());
        native.StandardOutput.Should().Be(string.Join('\n', jit.StandardOutput) + "\n");
    }

    [Fact]
    public async Task The_native_NodeAgent_joins_the_bus_plumbs_its_address_serves_probes_and_metrics_and_withdraws_on_SIGTERM()
    {
        await using var node = await IsolatedNode.CreateAsync();
        var state = Directory.CreateTempSubdirectory("beacon-aot-smoke-");
        try
        {
            var manifests = Directory.CreateDirectory(Path.Combine(state.FullName, "manifests")).FullName;
            await File.WriteAllTextAsync(Path.Combine(manifests, "sample.yaml"), Manifests);
            const string natsUrl = "nats://127.0.0.1:4222";
            await using var nats = InNamespace(node, [NatsServerBinary.Path, "-a", "127.0.0.1", "-p", "4222", "-js", "-sd", Path.Combine(state.FullName, "js")]);
            await nats.WaitForLineAsync(l => l.Contains("Server is ready", StringComparison.Ordinal), Timeout);
            await using var allocator = InNamespace(node, [ExternalPrograms.Resolve("dotnet"), ServiceBinaries.PathOf("Allocator"),
                "--source", "standalone", "--manifests-directory", manifests, "--state-file", Path.Combine(state.FullName, "state.json"),
                "--nats-url", natsUrl, "--http-address", "127.0.0.1", "--http-port", "9470", "--log-format", "text"]);
            await using var agent = InNamespace(node, [builds.PathOf("NodeAgent"),
                "--node-name", "aot-node", "--interface", "eth0", "--nats-url", natsUrl,
                "--http-address", "127.0.0.1", "--http-port", "9471", "--log-format", "text"]);

            await Eventually.MatchesAsync(
                () => Addresses(node), output => output.Contains("192.0.2.200/", StringComparison.Ordinal), Timeout,
                $"192.0.2.200 on eth0 (allocator: {allocator.Output}\nnodeagent: {agent.Output})", TimeSpan.FromMilliseconds(200));
            await agent.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), Timeout);
            await ProbesAnswer(node, 9471, "beacon-nodeagent");

            agent.Signal(NativeSignals.SigTerm);
            (await agent.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue(agent.Output);
            agent.ExitCode.Should().Be(0, agent.Output);
            (await Addresses(node)).Should().NotContain("192.0.2.200/", "a stopping agent withdraws what it holds");
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_native_Announcer_in_l2_mode_opens_its_interface_joins_the_bus_and_serves_probes_and_metrics()
    {
        await using var node = await IsolatedNode.CreateAsync();
        var state = Directory.CreateTempSubdirectory("beacon-aot-smoke-");
        try
        {
            await using var nats = InNamespace(node, [NatsServerBinary.Path, "-a", "127.0.0.1", "-p", "4222", "-js", "-sd", Path.Combine(state.FullName, "js")]);
            await nats.WaitForLineAsync(l => l.Contains("Server is ready", StringComparison.Ordinal), Timeout);
            await using var announcer = InNamespace(node, [builds.PathOf("Announcer"),
                "--mode", "l2", "--node-name", "aot-node", "--interfaces", "eth0", "--nats-url", "nats://127.0.0.1:4222",
                "--http-address", "127.0.0.1", "--http-port", "9472", "--log-format", "text"]);

            await announcer.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), Timeout);
            await ProbesAnswer(node, 9472, "beacon-announcer");
            announcer.HasExited.Should().BeFalse(announcer.Output);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    private static async Task<string> Addresses(IsolatedNode node) =>
        (await HostCommand.RunAsync("ip", "-n", node.Name, "-4", "-o", "addr", "show", "dev", "eth0")).StandardOutput;

    /// <summary>/healthz, then /readyz 200 (polled: readiness follows the bus), then /metrics with runtime and build metrics.</summary>
    private static async Task ProbesAnswer(IsolatedNode node, int port, string service)
    {
        (await Curl(node, port, "/healthz")).Should().Be("200 ok\n");
        await Eventually.MatchesAsync(() => Curl(node, port, "/readyz"), body => body.StartsWith("200 ready", StringComparison.Ordinal), Timeout,
            $"{service} /readyz 200", TimeSpan.FromMilliseconds(100));
        var metrics = await Curl(node, port, "/metrics");
        metrics.Should().StartWith("200 ");
        metrics.Should().Contain($"beacon_build_info{{service=\"{service}\"");
        metrics.Should().Contain("process_working_set_bytes");
        metrics.Should().Contain("dotnet_collection_count_total");
    }

    /// <summary>"STATUS body" as curl sees it from inside the namespace.</summary>
    private static async Task<string> Curl(IsolatedNode node, int port, string path)
    {
        var result = await HostCommand.RunAsync("ip", ["netns", "exec", node.Name, "curl", "-s", "-w", "%{http_code} ", "-o", "/dev/stdout", $"http://127.0.0.1:{port}{path}"], Timeout);
        // curl writes the body first, then the status: turn it round.
        var text = result.StandardOutput;
        var space = text.LastIndexOf(' ');
        return space < 0 ? text : text[(space - 3)..space] + " " + text[..(space - 3)];
    }

    private static BackgroundProcess InNamespace(IsolatedNode node, IReadOnlyList<string> command) =>
        BackgroundProcess.Start("ip", ["netns", "exec", node.Name, .. command]);
}
