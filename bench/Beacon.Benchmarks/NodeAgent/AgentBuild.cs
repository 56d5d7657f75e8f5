using Beacon.TestSupport.Netns;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>Builds the real NodeAgent (Release) into a temporary directory, for benchmarks that run it in a namespace lab.</summary>
internal static class AgentBuild
{
    public static async Task<string> BuildAsync()
    {
        var root = RepositoryRoot(Environment.CurrentDirectory) ?? RepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("run from inside the repository");

        var output = Path.Combine(Path.GetTempPath(), "beacon-failover-bench-agent");
        (await HostCommand.RunAsync("dotnet", ["build", Path.Combine(root, "services/NodeAgent/Beacon.NodeAgent.csproj"), "-c", "Release", "-o", output, "-v", "q"], TimeSpan.FromMinutes(10))).EnsureSuccess();
        return Path.Combine(output, "Beacon.NodeAgent.dll");
    }

    private static string? RepositoryRoot(string start)
    {
        for (var dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Suite.sln")))
            {
                return dir;
            }
        }

        return null;
    }
}
