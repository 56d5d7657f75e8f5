using k8s;
using System.Diagnostics;
using Beacon.TestSupport.Processes;

namespace Beacon.Kube.Tests;

public sealed class StandaloneServerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beacon-kube-standalone-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_server_runs_as_its_own_process_and_writes_a_kubeconfig_for_clients()
    {
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        var start = new ProcessStartInfo(ExternalPrograms.Resolve("dotnet"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Beacon.KubeApiServer.dll"));
        foreach (var argument in new[] { "--port", "0", "--token", "lab-token", "--kubeconfig", kubeconfig })
        {
            start.ArgumentList.Add(argument);
        }

        using var server = Process.Start(start)!;
        try
        {
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.StartsWith("Kubeconfig written", StringComparison.Ordinal) == true)
                {
                    ready.TrySetResult();
                }
            };
            server.BeginOutputReadLine();
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));

            using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            await new ServiceWrites(client).CreateAsync(TestCluster.LoadBalancer("default", "from-outside"));

            (await client.CoreV1.ListNamespacedServiceAsync("default")).Items.Select(s => s.Metadata.Name).Should().Equal("from-outside");
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("--bogus", "Unknown argument '--bogus'")]
    [InlineData("--port abc", "--port must be a whole number from 0 to 65535 (got 'abc')")]
    [InlineData("--history", "--history needs a value")]
    public async Task Bad_arguments_are_rejected_with_a_reason_and_usage(string arguments, string reason)
    {
        var start = new ProcessStartInfo(ExternalPrograms.Resolve("dotnet")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Beacon.KubeApiServer.dll"));
        foreach (var argument in arguments.Split(' '))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(2);
        error.Should().Contain(reason).And.Contain("Usage:");
    }
}
