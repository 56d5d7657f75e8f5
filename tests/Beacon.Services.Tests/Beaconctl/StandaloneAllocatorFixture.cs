using System.Text.RegularExpressions;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Processes;

namespace Beacon.Services.Tests.Beaconctl;

/// <summary>A real nats-server and the real Allocator in standalone mode over a temporary manifest directory.</summary>
public sealed partial class StandaloneAllocatorFixture : IAsyncLifetime
{
    private const string Groups = """
        apiVersion: purelb.io/v1
        kind: ServiceGroup
        metadata:
          name: lan
          namespace: beacon-system
        spec:
          local:
            v4pool:
              subnet: 198.18.10.0/24
              pool: 198.18.10.200-198.18.10.219
              aggregation: default
        """;

    private NatsServer? nats;
    private ServiceProcess? allocator;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("beaconctl-tests-").FullName;

    public string ManifestsDirectory => Path.Combine(Directory, "manifests");

    public string Url => nats?.Url ?? throw new InvalidOperationException("not started");

    public ServiceProcess Allocator => allocator ?? throw new InvalidOperationException("not started");

    public static string Service(string name, string group) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: demo
          annotations:
            purelb.io/service-group: {group}
        spec:
          type: LoadBalancer
          ports:
            - {"{"} name: http, port: 80, protocol: TCP {"}"}
        """;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(ManifestsDirectory);
        await File.WriteAllTextAsync(Path.Combine(ManifestsDirectory, "00-groups.yaml"), Groups);
        await File.WriteAllTextAsync(Path.Combine(ManifestsDirectory, "10-web.yaml"), Service("web", "lan"));
        await File.WriteAllTextAsync(Path.Combine(ManifestsDirectory, "20-lost.yaml"), Service("lost", "nosuch"));
        nats = await NatsServer.StartAsync();
        allocator = ServiceProcess.Start("Allocator",
        [
            "--http-address", "127.0.0.1", "--http-port", "0",
            "--source", "standalone", "--manifests-directory", ManifestsDirectory, "--state-file", Path.Combine(Directory, "state.json"),
            "--rescan-interval", "1s", "--nats-url", nats.Url,
        ]);
        // Logged once the term (and with it the query responder's view) is attached.
        await allocator.WaitForLineAsync(LeadingLine(), Processes.Services.StartTimeout);
    }

    public async Task DisposeAsync()
    {
        if (allocator is not null)
        {
            await allocator.DisposeAsync();
        }

        if (nats is not null)
        {
            await nats.DisposeAsync();
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }

    [GeneratedRegex("Leading: ")]
    private static partial Regex LeadingLine();
}
