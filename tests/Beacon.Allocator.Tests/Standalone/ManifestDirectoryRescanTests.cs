using Beacon.Allocator.Controller;
using Beacon.Allocator.Standalone;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Allocator.Tests.Standalone;

/// <summary>
/// The periodic rescan is a safety net for lost file-system notifications: it must notice a change nobody announced,
/// and cost nothing but a few stat calls when nothing changed (it used to parse every manifest every 2 s).
/// </summary>
public sealed class ManifestDirectoryRescanTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("beacon-rescan-");

    private static string Service(string name) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: default
        spec:
          type: LoadBalancer
          ports:
          - port: 80
            protocol: TCP
        """;

    [Fact]
    public async Task A_rescan_of_an_unchanged_directory_does_not_scan_and_queues_nothing()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "apps.yaml"), Service("web") + "\n---\n" + Service("api"));
        var queue = new WorkQueue();
        using var source = new ManifestDirectorySource(_directory.FullName, new StandaloneStatusStore([]), queue, NullLogger.Instance);
        source.Scan();
        var first = source.Snapshot;
        var queued = queue.Count;

        source.RescanIfChanged().Should().BeFalse();

        source.Snapshot.Should().BeSameAs(first);
        queue.Count.Should().Be(queued);
    }

    [Fact]
    public async Task A_rescan_picks_up_an_edit_that_raised_no_notification()
    {
        var file = Path.Combine(_directory.FullName, "apps.yaml");
        await File.WriteAllTextAsync(file, Service("web"));
        var queue = new WorkQueue();
        using var source = new ManifestDirectorySource(_directory.FullName, new StandaloneStatusStore([]), queue, NullLogger.Instance);
        source.Scan();
        _ = await queue.TakeAsync(100, CancellationToken.None);

        await File.WriteAllTextAsync(file, Service("web") + "\n---\n" + Service("api"));

        source.RescanIfChanged().Should().BeTrue();
        source.Snapshot.Services.Keys.Should().BeEquivalentTo(["default/web", "default/api"]);
        (await queue.TakeAsync(100, CancellationToken.None)).Should().Equal("default/api");
    }

    [Fact]
    public async Task A_rescan_notices_a_deleted_file_and_a_broken_one_is_still_reported_with_its_line()
    {
        var keep = Path.Combine(_directory.FullName, "keep.yaml");
        var gone = Path.Combine(_directory.FullName, "gone.yaml");
        await File.WriteAllTextAsync(keep, Service("web"));
        await File.WriteAllTextAsync(gone, Service("api"));
        using var source = new ManifestDirectorySource(_directory.FullName, new StandaloneStatusStore([]), new WorkQueue(), NullLogger.Instance);
        source.Scan();

        File.Delete(gone);
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "broken.yaml"), "apiVersion: v1\nkind: Service\nmetadata: [\n");

        source.RescanIfChanged().Should().BeTrue();
        source.Snapshot.Services.Keys.Should().Equal("default/web");
        source.Snapshot.Problems.Should().ContainSingle().Which.Source.Should().Be("broken.yaml");
        source.Snapshot.Problems.Single().Line.Should().BePositive();
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
