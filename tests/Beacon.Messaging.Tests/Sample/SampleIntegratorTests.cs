using System.Diagnostics;
using System.Threading.Channels;
using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Tests.Bus;
using Beacon.Messaging.Tests.DesiredState;
using Beacon.Messaging.Tests.Security;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Processes;

namespace Beacon.Messaging.Tests.Sample;

public sealed class SampleIntegratorTests
{
    [Fact]
    public async Task The_sample_integrator_prints_allocation_events_as_they_arrive()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = RepositoryFiles.Path($"samples/Beacon.SampleIntegrator/bin/{configuration}/net10.0/Beacon.SampleIntegrator.dll");
        var start = new ProcessStartInfo(ExternalPrograms.Resolve("dotnet")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { dll, "--url", server.Url, "--count", "2" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var lines = Channel.CreateUnbounded<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lines.Writer.TryWrite("out: " + e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lines.Writer.TryWrite("err: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await NextLine(lines, "err: listening");
            await publisher.PublishChangeAsync(SampleAllocations.For(1));
            await publisher.PublishReleaseAsync(SampleAllocations.Key(1));

            (await NextLine(lines, "out:")).Should().Contain("#1 CHANGED  ns-1/svc-1 [10.0.0.1/24 kube-lb0] ports 80/TCP policy Cluster");
            (await NextLine(lines, "out:")).Should().Contain("#2 RELEASED ns-1/svc-1");
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            process.ExitCode.Should().Be(0);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<string> NextLine(Channel<string> lines, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var line = await lines.Reader.ReadAsync(timeout.Token);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }
}
