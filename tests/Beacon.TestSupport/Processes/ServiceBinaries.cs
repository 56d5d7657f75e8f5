namespace Beacon.TestSupport.Processes;

/// <summary>
/// Finds a built Beacon service: services/&lt;Name&gt;/bin/&lt;Configuration&gt;/&lt;tfm&gt;/Beacon.&lt;Name&gt;.dll, where the
/// configuration and target framework are those of the running test assembly, so a Release test run launches Release
/// services. Test projects list the services as ProjectReference with ReferenceOutputAssembly="false" so they are built first.
/// </summary>
public static class ServiceBinaries
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string PathOf(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        return Built(Path.Combine("services", service), $"Beacon.{service}.dll");
    }

    /// <summary>A built tool: tools/&lt;project&gt;/bin/&lt;Configuration&gt;/&lt;tfm&gt;/&lt;assembly&gt;.dll, e.g. ("Beaconctl", "beaconctl").</summary>
    public static string ToolPathOf(string project, string assembly)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(project);
        ArgumentException.ThrowIfNullOrWhiteSpace(assembly);
        return Built(Path.Combine("tools", project), assembly + ".dll");
    }

    private static string Built(string projectDirectory, string dllName)
    {
        var (configuration, framework) = OwnBuildFlavour();
        var dll = Path.Combine(RepositoryRoot, projectDirectory, "bin", configuration, framework, dllName);
        if (!File.Exists(dll))
            throw new FileNotFoundException(
                $"{projectDirectory} is not built for {configuration}/{framework}: {dll} is missing. Build it (dotnet build -c {configuration}) or reference it from the test project.", dll);
        return dll;
    }

    /// <summary>Reads "bin/&lt;Configuration&gt;/&lt;tfm&gt;" off the test assembly's own output directory.</summary>
    private static (string Configuration, string Framework) OwnBuildFlavour()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        if (dir.Parent?.Parent is { Name: "bin" })
            return (dir.Parent.Name, dir.Name);
        throw new InvalidOperationException($"Cannot tell the build configuration from {AppContext.BaseDirectory}; expected .../bin/<Configuration>/<tfm>/.");
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Suite.sln above {AppContext.BaseDirectory}.");
    }
}
