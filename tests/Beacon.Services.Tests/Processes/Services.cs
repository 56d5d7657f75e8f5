using Beacon.TestSupport.Processes;

namespace Beacon.Services.Tests.Processes;

/// <summary>The three services, with the arguments each needs to start on a free loopback port.</summary>
internal static class Services
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(30);

    public static TheoryData<string> Names => new() { "Allocator", "NodeAgent", "Announcer" };

    /// <summary>Per-node services touch interfaces, so tests run them in a namespace of their own.</summary>
    public static bool RunsOnANode(string service) => service is "NodeAgent" or "Announcer";

    /// <summary>Loopback, a port the kernel picks, and what a service requires to start at all.</summary>
    public static string[] StartArguments(string service, params string[] extra) =>
    [
        "--http-address", "127.0.0.1", "--http-port", "0",
        .. service == "Allocator" ? StandaloneAllocator().SelectMany(o => new[] { "--" + o.Flag, o.Value }) : [],
        .. service == "Announcer" ? new[] { "--mode", "l2" } : [],
        .. RunsOnANode(service) ? new[] { "--node-name", "test-node" } : [],
        .. extra,
    ];

    /// <summary>
    /// The Allocator without a Kubernetes cluster: standalone source over an empty manifest directory, a state file of
    /// its own per launch, and no NATS URL (it then only keeps status).
    /// </summary>
    public static IReadOnlyList<(string Flag, string Value)> StandaloneAllocator()
    {
        var root = Path.Combine(Path.GetTempPath(), $"beacon-services-tests-{Environment.ProcessId}");
        var manifests = Directory.CreateDirectory(Path.Combine(root, "manifests")).FullName;
        return
        [
            ("source", "standalone"),
            ("manifests-directory", manifests),
            ("state-file", Path.Combine(root, $"state-{Guid.NewGuid():N}.json")),
        ];
    }

    public static async Task<LaunchedService> StartAsync(string service, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var node = RunsOnANode(service) ? await IsolatedNode.CreateAsync() : null;
        try
        {
            return new LaunchedService(ServiceProcess.Start(service, arguments, environment, node?.Name), node);
        }
        catch
        {
            if (node is not null)
                await node.DisposeAsync();
            throw;
        }
    }

    public static async Task<LaunchedService> RunToExitAsync(string service, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var launched = await StartAsync(service, arguments, environment);
        try
        {
            await launched.Process.WaitForExitAsync(ExitTimeout);
            return launched;
        }
        catch
        {
            await launched.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A service process and, for per-node services, the namespace it runs in; disposing removes both.</summary>
internal sealed class LaunchedService(ServiceProcess process, IsolatedNode? node) : IAsyncDisposable
{
    public ServiceProcess Process { get; } = process;

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        if (node is not null)
            await node.DisposeAsync();
    }
}
