using Beacon.TestSupport.Netns;

namespace Beacon.Benchmarks.Scale;

/// <summary>
/// The Allocator as its image ships it: framework-dependent for linux-x64 with ReadyToRun code
/// (images/build-images.sh, PublishReadyToRun in its project), in artifacts/publish/allocator-r2r, published only when
/// a source it is built from is newer. A JIT Allocator spent about a quarter of the scale lab's BGP add compiling
/// (perf profile, docs/benchmarks.md "scale"); the lab itself keeps running `dotnet Beacon.Allocator.dll`.
/// </summary>
internal static class ReadyToRunAllocator
{
    public static async Task<string> EnsureAsync(string root)
    {
        var output = Path.Combine(root, "artifacts", "publish", "allocator-r2r");
        var executable = Path.Combine(output, "Beacon.Allocator");
        if (File.Exists(executable) && File.GetLastWriteTimeUtc(executable) > NewestInput(root))
        {
            Console.WriteLine($"Allocator: reusing {executable} (newer than every source it is built from)");
            return executable;
        }

        Console.WriteLine($"Publishing the Allocator (ReadyToRun, as its image) into {output}…");
        // Its own artifacts path, as the image build: the repository's bin/obj (which the tests run) stay untouched.
        (await HostCommand.RunAsync("dotnet", ["publish", Path.Combine(root, "services", "Allocator", "Beacon.Allocator.csproj"), "-c", "Release",
            "-r", "linux-x64", "--self-contained", "false", "--artifacts-path", Path.Combine(root, "artifacts", "allocator-r2r-build"), "-o", output,
            "-p:UseAppHost=true", "-p:TreatWarningsAsErrors=true", "-v", "q", "-nologo"], TimeSpan.FromMinutes(30))).EnsureSuccess();
        File.SetLastWriteTimeUtc(executable, DateTime.UtcNow);
        return executable;
    }

    /// <summary>The latest write among the Allocator's sources, the shared libraries and the build settings (bin/obj excluded).</summary>
    private static DateTime NewestInput(string root)
    {
        var separator = Path.DirectorySeparatorChar;
        var files = new[] { Path.Combine(root, "services", "Allocator"), Path.Combine(root, "shared") }
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal))
            .Concat([Path.Combine(root, "Directory.Build.props"), Path.Combine(root, "Directory.Packages.props")]);
        return files.Where(File.Exists).Max(File.GetLastWriteTimeUtc);
    }
}
