using Beacon.TestSupport.Netns;

namespace Beacon.Benchmarks.Footprint;

/// <summary>
/// The NativeAOT executables of the node components where <c>./build.sh --target=Publish</c> puts them
/// (artifacts/publish/&lt;name&gt;), published only when a source they are built from is newer than the executable: a
/// NativeAOT compile takes minutes, so a rerun of the benchmark on unchanged code reuses the previous one.
/// </summary>
internal static class NativePublish
{
    private static readonly string[] Services = ["NodeAgent", "Announcer"];

    /// <summary>Service name → path of its up-to-date NativeAOT executable.</summary>
    public static async Task<Dictionary<string, string>> EnsureAsync(string root, params string[] only)
    {
        var result = new Dictionary<string, string>();
        foreach (var service in only.Length > 0 ? only : Services)
        {
            var output = Path.Combine(root, "artifacts", "publish", service.ToLowerInvariant());
            var executable = Path.Combine(output, $"Beacon.{service}");
            var newestInput = NewestInput(root, service);
            if (File.Exists(executable) && File.GetLastWriteTimeUtc(executable) > newestInput)
            {
                Console.WriteLine($"{service}: reusing {executable} (newer than every source it is built from)");
            }
            else
            {
                Console.WriteLine($"Publishing {service} with NativeAOT into {output}…");
                (await HostCommand.RunAsync("dotnet", ["publish", Path.Combine(root, "services", service, $"Beacon.{service}.csproj"), "-c", "Release", "-r", "linux-x64",
                    "-o", output, "-p:TreatWarningsAsErrors=true", "-v", "q", "-nologo"], TimeSpan.FromMinutes(30))).EnsureSuccess();
            }

            result[service] = executable;
        }

        return result;
    }

    /// <summary>The latest write among the service's sources, the shared libraries and the build settings (bin/obj excluded).</summary>
    private static DateTime NewestInput(string root, string service)
    {
        var files = new[] { Path.Combine(root, "services", service), Path.Combine(root, "shared") }
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat([Path.Combine(root, "services", "NativeAot.props"), Path.Combine(root, "Directory.Build.props"), Path.Combine(root, "Directory.Packages.props")]);
        return files.Where(File.Exists).Max(File.GetLastWriteTimeUtc);
    }
}
