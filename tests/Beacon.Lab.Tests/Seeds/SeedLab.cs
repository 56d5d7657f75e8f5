using System.Globalization;
using Beacon.Lab;
using Beacon.TestSupport.Netns;

namespace Beacon.Lab.Tests.Seeds;

/// <summary>
/// One lab started from a seed's manifests (<c>lab/seeds/NAME</c>), shared by the tests of one class and torn down
/// after them: namespaces, processes and state directory. Its own prefix, so a user's lab and other tests are untouched.
/// </summary>
public abstract class SeedLab : IAsyncLifetime
{
    private readonly StringWriter _log = new();

    protected SeedLab(string seed, string shortName)
    {
        Topology = new LabTopology(string.Create(CultureInfo.InvariantCulture, $"{NetnsJanitor.Prefix}{Environment.ProcessId}-{shortName}"));
        Paths = new LabPaths(LabPaths.FindRepositoryRoot(AppContext.BaseDirectory), Topology);
        Probe = new LabProbe(Topology);
        Seed = seed;
    }

    public string Seed { get; }

    public LabTopology Topology { get; }

    public LabPaths Paths { get; }

    public LabProbe Probe { get; }

    public LabUp Up { get; private set; } = null!;

    /// <summary>What <see cref="LabUp.RunAsync"/> saw once every Service answered (empty when the lab does not wait).</summary>
    public IReadOnlyList<LabObservation> Observations { get; private set; } = [];

    public string Log => _log.ToString();

    /// <summary>False for the allocator-only deployment (<see cref="LabUp.NodeComponents"/>).</summary>
    protected virtual bool NodeComponents => true;

    /// <summary>The node BIRD's own protocols (<see cref="LabUp.NodeBirdExtra"/>).</summary>
    protected virtual Func<string, string>? NodeBirdExtra => null;

    /// <summary>The static protocols the node BIRD exports (<see cref="LabUp.NodeBirdExport"/>).</summary>
    protected virtual string NodeBirdExport => "beacon";

    public async Task InitializeAsync()
    {
        await NetnsJanitor.RemoveStaleAsync();
        Up = new LabUp(Topology, Paths, BuildConfiguration(), _log)
        {
            ManifestSource = Path.Combine("lab", "seeds", Seed),
            NodeComponents = NodeComponents,
            NodeBirdExtra = NodeBirdExtra,
            NodeBirdExport = NodeBirdExport,
        };
        Observations = await Up.RunAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await LabTeardown.RunAsync(Topology, Paths);

    /// <summary>The addresses the standalone Allocator assigned to <c>namespace/name</c> (empty while pending).</summary>
    public IReadOnlyList<string> Assigned(string service) =>
        AssignedAddresses.Read(Paths.AllocatorState).TryGetValue(service, out var addresses) ? addresses : [];

    /// <summary>Runs birdc against a node's BIRD and returns what it printed.</summary>
    public async Task<string> NodeBirdAsync(string node, params string[] command) =>
        (await HostCommand.RunCheckedAsync("birdc", ["-s", Path.Combine(Paths.Daemon($"{node}-bird"), "bird.ctl"), .. command])).StandardOutput;

    public static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(250);
        }
    }

    private static string BuildConfiguration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
}
