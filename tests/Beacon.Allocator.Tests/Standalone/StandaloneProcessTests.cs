using System.Text.Json;
using Beacon.Kube.Json;
using Beacon.Kube.Models;
using Beacon.TestSupport.Processes;

namespace Beacon.Allocator.Tests.Standalone;

/// <summary>The real Allocator in standalone mode: a directory of manifests in, a state file out, no Kubernetes.</summary>
[Collection(nameof(Integration.AllocatorProcessTests))]
// IAsyncLifetime, not IAsyncDisposable: xunit 2 never calls a test class's IAsyncDisposable, so every run left its
// last Allocator running (and its temporary directory behind).
public sealed class StandaloneProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);
    private readonly string root = Directory.CreateTempSubdirectory("beacon-standalone-").FullName;
    private readonly List<ServiceProcess> processes = [];

    private string Manifests => Path.Combine(root, "manifests");

    private string StateFile => Path.Combine(root, "state", "allocations.json");

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Kills every Allocator this test started, whatever failed before, and only then removes their directory.</summary>
    public async Task DisposeAsync()
    {
        try
        {
            foreach (var p in processes)
            {
                await p.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private ServiceProcess Start()
    {
        var process = ServiceProcess.Start("Allocator",
        [
            "--source", "standalone", "--manifests-directory", Manifests, "--state-file", StateFile,
            "--rescan-interval", "500ms", "--http-address", "127.0.0.1", "--http-port", "0",
        ]);
        processes.Add(process);
        return process;
    }

    private Dictionary<string, string> Assigned()
    {
        try
        {
            var list = JsonSerializer.Deserialize(File.ReadAllText(StateFile), KubeJsonContext.Default.KubeListService)!;
            return list.Items.Where(s => s.Status?.LoadBalancer?.Ingress?.Count > 0)
                .ToDictionary(s => s.Key, s => s.Status!.LoadBalancer!.Ingress![0].IP!);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return [];
        }
    }

    private Task<Dictionary<string, string>> AssignedAsync(Func<Dictionary<string, string>, bool> accept) =>
        Integration.AllocatorCluster.EventuallyAsync(Assigned, accept, Converge,
            a => string.Join(", ", a.Select(kv => $"{kv.Key}={kv.Value}")) + "\n" + string.Join("\n", processes.Select(p => p.Transcript)));

    private static string Service(string name, string? address = null) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: apps
        {(address is null ? "" : $"  annotations:\n    purelb.io/addresses: {address}\n")}spec:
          type: LoadBalancer
          ports:
          - port: 80
        """;

    [Fact]
    public async Task Assigns_from_manifests_follows_file_changes_survives_bad_files_and_restarts_without_moving_anything()
    {
        Directory.CreateDirectory(Manifests);
        await File.WriteAllTextAsync(Path.Combine(Manifests, "groups.yaml"), """
            apiVersion: purelb.io/v1
            kind: ServiceGroup
            metadata:
              name: default
            spec:
              local:
                v4pool:
                  subnet: 192.168.7.0/24
                  pool: 192.168.7.10-192.168.7.20
            """);
        await File.WriteAllTextAsync(Path.Combine(Manifests, "apps.yaml"), Service("a") + "\n---\n" + Service("b"));
        var first = Start();

        var initial = await AssignedAsync(a => a.Count == 2);
        initial.Values.Should().OnlyHaveUniqueItems().And.OnlyContain(a => a.StartsWith("192.168.7.", StringComparison.Ordinal));

        // A new file is picked up; a broken one is reported with file and line and changes nothing else.
        await File.WriteAllTextAsync(Path.Combine(Manifests, "more.yaml"), Service("c", "192.168.7.15"));
        await File.WriteAllTextAsync(Path.Combine(Manifests, "broken.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\nspec: [oops\n");
        var grown = await AssignedAsync(a => a.Count == 3);
        grown["apps/c"].Should().Be("192.168.7.15");
        await first.WaitForLineAsync(new System.Text.RegularExpressions.Regex(@"broken\.yaml:\d+: invalid YAML"), Converge);

        // A typo in a file that already had Services keeps them (the last valid version stays in force).
        await File.WriteAllTextAsync(Path.Combine(Manifests, "apps.yaml"), Service("a") + "\n---\n" + Service("b").Replace("spec:", "spec: [", StringComparison.Ordinal));
        await first.WaitForLineAsync(new System.Text.RegularExpressions.Regex(@"apps\.yaml:\d+: .*keeping the last valid version"), Converge);
        Assigned().Should().Contain(grown);

        // Restart: every address stays where it was, even with a new Service competing for the lowest free one.
        await first.DisposeAsync();
        await File.WriteAllTextAsync(Path.Combine(Manifests, "apps.yaml"), Service("a") + "\n---\n" + Service("b") + "\n---\n" + Service("d"));
        Start();
        var after = await AssignedAsync(a => a.Count == 4);
        after.Should().Contain(grown);
        after.Values.Should().OnlyHaveUniqueItems();

        // Deleting a manifest releases its Service.
        File.Delete(Path.Combine(Manifests, "more.yaml"));
        (await AssignedAsync(a => a.Count == 3)).Should().NotContainKey("apps/c");
    }

    [Fact]
    public async Task A_Service_with_a_name_Kubernetes_would_refuse_is_reported_and_skipped_and_the_others_keep_working()
    {
        Directory.CreateDirectory(Manifests);
        await File.WriteAllTextAsync(Path.Combine(Manifests, "groups.yaml"), """
            apiVersion: purelb.io/v1
            kind: ServiceGroup
            metadata:
              name: default
            spec:
              local:
                v4pool:
                  subnet: 192.168.8.0/24
                  pool: 192.168.8.10-192.168.8.20
            """);
        await File.WriteAllTextAsync(Path.Combine(Manifests, "apps.yaml"), Service("a"));
        // What a new user dropped in: a Service named by two bytes that are not UTF-8.
        var garbled = System.Text.Encoding.UTF8.GetBytes(Service("PLACEHOLDER")).AsEnumerable().ToList();
        var text = System.Text.Encoding.UTF8.GetString([.. garbled]);
        var at = System.Text.Encoding.UTF8.GetByteCount(text[..text.IndexOf("PLACEHOLDER", StringComparison.Ordinal)]);
        garbled.RemoveRange(at, "PLACEHOLDER".Length);
        garbled.InsertRange(at, [0xFF, 0xFE]);
        await File.WriteAllBytesAsync(Path.Combine(Manifests, "bad.yaml"), [.. garbled]);
        var first = Start();

        await first.WaitForLineAsync(new System.Text.RegularExpressions.Regex(@"bad\.yaml:4: Service name .*DNS-1035"), Converge);
        (await AssignedAsync(a => a.ContainsKey("apps/a"))).Should().ContainKey("apps/a");

        // Still allocating, and a restart with the same file in place starts and serves too.
        await File.WriteAllTextAsync(Path.Combine(Manifests, "more.yaml"), Service("b"));
        var served = await AssignedAsync(a => a.Count == 2);
        first.HasExited.Should().BeFalse(first.Transcript);
        await first.DisposeAsync();
        var second = Start();
        await second.WaitForLineAsync(new System.Text.RegularExpressions.Regex(@"bad\.yaml:4: Service name"), Converge);
        await File.WriteAllTextAsync(Path.Combine(Manifests, "more.yaml"), Service("b") + "\n---\n" + Service("c"));
        var after = await AssignedAsync(a => a.Count == 3);
        after.Should().Contain(served);
        second.HasExited.Should().BeFalse(second.Transcript);
    }
}
