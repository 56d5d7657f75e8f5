using Beacon.Ctl;

namespace Beacon.Services.Tests.Beaconctl;

/// <summary>
/// A MetalLB user's manifests in the standalone Allocator's directory: the Service gets an address from the
/// IPAddressPool, the published desired state carries the L2Advertisement, a broken pool is in beaconctl status;
/// and beaconctl import converts the same files (its own Allocator: the pools must not disturb other tests).
/// </summary>
public sealed class BeaconctlMetalLbTests(StandaloneAllocatorFixture allocator) : IClassFixture<StandaloneAllocatorFixture>
{
    private const string MetalLb = """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: { name: metal, namespace: metallb-system }
        spec:
          addresses: [198.18.30.0/28]
          avoidBuggyIPs: true
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: { name: metal, namespace: metallb-system }
        spec:
          ipAddressPools: [metal]
          interfaces: [eth0]
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: { name: broken, namespace: metallb-system }
        spec:
          addresses: [198.18.31.9-198.18.31.1]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: metal-web
          namespace: demo
          annotations: { metallb.universe.tf/address-pool: metal }
        spec:
          type: LoadBalancer
          ports: [{ name: http, port: 80, protocol: TCP }]
        """;

    [Fact]
    public async Task A_MetalLB_pool_serves_its_Service_with_the_advertisement_on_the_bus_and_a_broken_pool_is_in_status()
    {
        var tail = CtlRun.RunAsync("events", "--nats-url", allocator.Url, "--type", "io.beacon.allocation.changed", "--service", "demo/metal-web",
            "--count", "1", "--timeout", "60");
        var file = Path.Combine(allocator.ManifestsDirectory, "50-metallb.yaml");
        // The tail subscribes asynchronously: (re)create the manifests until the tail has seen the allocation.
        while (!tail.IsCompleted)
        {
            await File.WriteAllTextAsync(file, MetalLb);
            await Task.WhenAny(tail, Task.Delay(TimeSpan.FromSeconds(3)));
            if (!tail.IsCompleted)
            {
                File.Delete(file);
                await Task.WhenAny(tail, Task.Delay(TimeSpan.FromSeconds(2)));
            }
        }

        var run = await tail;
        run.ExitCode.Should().Be(CtlExitCodes.Ok, run.ToString());
        run.Output.Should().Contain("\"address\":\"198.18.30.1\"", "avoidBuggyIPs skips 198.18.30.0")
            .And.Contain("\"placement\":\"Local\"").And.Contain("\"prefixLength\":32")
            .And.Contain("\"announce\":{\"announced\":true,\"layer2\":[{\"source\":\"L2Advertisement metallb-system/metal\"")
            .And.Contain("\"interfaces\":[\"eth0\"]", run.ToString());

        var status = await CtlRun.RunAsync("status", "--nats-url", allocator.Url);
        status.ExitCode.Should().Be(CtlExitCodes.Ok, status.ToString());
        status.Output.Should().MatchRegex(@"IPAddressPool\s+metallb-system/broken\s*│\s*50-metallb\.yaml:19: addresses\[0\]: .*reversed", status.ToString());
        // (The Service's own row follows once its status write lands; the event above already proved the allocation.)
    }

    [Fact]
    public async Task Import_converts_MetalLB_manifests_into_ServiceGroups_with_comments_for_what_has_no_equivalent()
    {
        var directory = Directory.CreateTempSubdirectory("beaconctl-import-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "metallb.yaml"), MetalLb);
            var run = await CtlRun.RunAsync("import", directory);

            run.ExitCode.Should().Be(CtlExitCodes.NotConverted, run.ToString());
            run.Error.Should().Contain("IPAddressPool metallb-system/broken addresses[0]:");
            run.Output.Should().Contain("# From IPAddressPool metal (").And.Contain("interfaces eth0")
                .And.Contain("kind: ServiceGroup").And.Contain("name: metal").And.Contain("avoidBuggyIPs: true")
                .And.Contain("pool: 198.18.30.0-198.18.30.15");

            var written = Path.Combine(directory, "out");
            (await CtlRun.RunAsync("import", Path.Combine(directory, "metallb.yaml"), "--output", written, "--namespace", "lb")).Output
                .Should().Contain("1 ServiceGroup(s) written");
            (await File.ReadAllTextAsync(Path.Combine(written, "servicegroup-metal.yaml"))).Should().Contain("namespace: lb");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
