namespace Beacon.Lab;

/// <summary>Where a lab keeps its state: configs, editable manifests, logs and pid files (under <c>.lab/PREFIX</c>).</summary>
public sealed class LabPaths
{
    public LabPaths(string repositoryRoot, LabTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        RepositoryRoot = repositoryRoot;
        Root = Path.Combine(repositoryRoot, ".lab", topology.Prefix);
    }

    public string RepositoryRoot { get; }

    public string Root { get; }

    /// <summary>The Allocator's standalone manifest directory: edit, add or delete files here and the lab follows.</summary>
    public string Manifests => Path.Combine(Root, "manifests");

    public string AllocatorState => Path.Combine(Root, "allocator-state.json");

    public string Logs => Path.Combine(Root, "logs");

    public string Pids => Path.Combine(Root, "pids");

    public string Daemon(string name) => Path.Combine(Root, name);

    public string Log(string name) => Path.Combine(Logs, name + ".log");

    public string PidFile(string name) => Path.Combine(Pids, name + ".pid");

    /// <summary>Built service assembly, e.g. services/NodeAgent/bin/Release/net10.0/Beacon.NodeAgent.dll.</summary>
    public string ServiceDll(string folder, string assembly, string configuration) =>
        Path.Combine(RepositoryRoot, "services", folder, "bin", configuration, "net10.0", assembly + ".dll");

    /// <summary>Finds the repository root by walking up to Suite.sln.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Suite.sln above {start}: run the lab from the Beacon repository");
    }
}
