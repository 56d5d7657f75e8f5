using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;

namespace Beacon.Services.Tests.NativeAot;

/// <summary>
/// The node components as they ship: published with NativeAOT (the same dotnet publish as ./build.sh --target=Publish)
/// once per test run into a directory of its own; the other tests run the JIT builds of the same code.
/// </summary>
public sealed class NativeAotBuilds : IAsyncLifetime
{
    private readonly Dictionary<string, string> _executables = [];

    public string PathOf(string service) => _executables[service];

    public async Task InitializeAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"beacon-aot-tests-{Environment.ProcessId}");
        foreach (var service in new[] { "NodeAgent", "Announcer" })
        {
            var output = Path.Combine(root, service);
            var publish = await HostCommand.RunAsync("dotnet",
                ["publish", Path.Combine(ServiceBinaries.RepositoryRoot, "services", service, $"Beacon.{service}.csproj"),
                 "-c", "Release", "-r", "linux-x64", "-o", output, "-p:TreatWarningsAsErrors=true", "-nologo", "-v", "q"],
                TimeSpan.FromMinutes(20));
            publish.ExitCode.Should().Be(0, $"the NativeAOT publish of {service} must succeed without warnings:\n{publish}");
            _executables[service] = Path.Combine(output, $"Beacon.{service}");
        }
    }

    public Task DisposeAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"beacon-aot-tests-{Environment.ProcessId}");
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }
}
