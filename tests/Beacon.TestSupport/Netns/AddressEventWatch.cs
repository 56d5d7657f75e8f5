using System.Collections.Concurrent;
using System.Diagnostics;
using Beacon.TestSupport.Processes;

namespace Beacon.TestSupport.Netns;

/// <summary>
/// Every address notification in one node namespace (<c>ip -o monitor address</c>), stamped on arrival with a clock
/// the test shares. Watching the kernel's own change stream proves "nothing was withdrawn" for a whole period, where
/// sampling <c>ip addr</c> could miss a delete followed by a re-add.
/// </summary>
public sealed class AddressEventWatch : IAsyncDisposable
{
    /// <summary>Added to loopback (replace: idempotent) to prove the monitor is subscribed before the test goes on.</summary>
    private const string Sentinel = "127.0.0.77/32";

    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly string _node;
    private readonly ConcurrentQueue<AddressEvent> _events = new();

    private AddressEventWatch(Process process, Stopwatch clock, string node)
    {
        _process = process;
        _clock = clock;
        _node = node;
    }

    public IReadOnlyCollection<AddressEvent> Events => _events;

    /// <summary>Starts watching <paramref name="ns"/> and returns once the monitor demonstrably receives notifications.</summary>
    public static async Task<AddressEventWatch> StartAsync(NetworkNamespace ns, string node, Stopwatch clock)
    {
        var psi = new ProcessStartInfo(ExternalPrograms.Resolve("ip"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "netns", "exec", ns.Name, "ip", "-o", "monitor", "address" })
        {
            psi.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = psi };
        var watch = new AddressEventWatch(process, clock, node);
        process.OutputDataReceived += (_, e) => watch.OnLine(e.Data);
        process.ErrorDataReceived += (_, _) => { };
        if (!process.Start())
        {
            throw new InvalidOperationException("could not start ip monitor in " + ns.Name);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = Stopwatch.StartNew();
            while (!watch._events.Any(e => e.Device == "lo" && e.Address == Sentinel))
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(10) || process.HasExited)
                {
                    throw new TimeoutException($"ip monitor in {ns.Name} reported nothing within {deadline.Elapsed}");
                }

                await ns.IpAsync("addr", "replace", Sentinel, "dev", "lo");
                await Task.Delay(50);
            }
        }
        catch
        {
            await watch.DisposeAsync();
            throw;
        }

        return watch;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or the namespace teardown kills it.
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is not null && AddressEvent.Parse(_clock.Elapsed, _node, line) is { } parsed)
        {
            _events.Enqueue(parsed);
        }
    }
}
