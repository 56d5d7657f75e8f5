using System.Globalization;
using Beacon.Lab;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;

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

    /// <summary>What <c>beaconctl status</c>, run in the control namespace against the lab's NATS, prints (as to a pipe).</summary>
    public async Task<string> BeaconctlStatusAsync()
    {
        CommandResult? status = null;
        // beaconctl gives NATS 5 s to answer; on a saturated machine a first attempt can miss that, so try a few times.
        await Eventually(async () =>
        {
            status = await HostCommand.RunAsync("ip", "netns", "exec", Topology.Control, ExternalPrograms.Resolve("dotnet"),
                ServiceBinaries.ToolPathOf("Beaconctl", "beaconctl"), "--nats-url", LabTopology.NatsUrl, "status");
            return status.Succeeded;
        }, "beaconctl status answers");
        return status!.StandardOutput;
    }

    /// <summary>
    /// Waits until the client's neighbour entry for <paramref name="address"/> carries the MAC of the node that holds
    /// it (the owner's gratuitous ARP replaces an older answer) and returns that node.
    /// </summary>
    public async Task<string> ClientResolvesToOwnerAsync(string address)
    {
        string? owner = null;
        await Eventually(async () =>
        {
            var owners = await Probe.OwnersAsync(address);
            owner = owners.Count == 1 ? owners[0] : null;
            return owner is not null && await Probe.ClientNeighbourMacAsync(address) == await Probe.NodeMacAsync(owner);
        }, $"the client's neighbour entry for {address} carries its owner's MAC");
        return owner!;
    }

    /// <summary>The cells of the table rows of <paramref name="output"/> whose first cell is <paramref name="first"/>.</summary>
    public static IReadOnlyList<string[]> Rows(string output, string first) =>
        [.. output.Split('\n').Select(l => l.Split('│').Select(c => c.Trim()).ToArray()).Where(c => c.Length > 2 && c[1] == first).Select(c => c[1..^1])];

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
