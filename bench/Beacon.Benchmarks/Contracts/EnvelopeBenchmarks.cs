using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Beacon.Benchmarks.Ipam;
using Beacon.Contracts;

namespace Beacon.Benchmarks.Contracts;

/// <summary>
/// CPU cost of one CloudEvents envelope through <see cref="CloudEventCodec"/> (the CNCF SDK's JsonEventFormatter):
/// encoding an allocation change once per publish, and decoding it with its data once per replica, the per-message
/// work of the bus benchmark (10,000 changes to 100 replicas = 1,000,000 decodes).
/// </summary>
internal sealed class EnvelopeBenchmarks : IBenchmarkSuite
{
    private const int Messages = 200_000;
    private const int Rounds = 5;

    public string Name => "envelope";

    public Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var change = SampleAllocation.Create(4242);
        var payload = CloudEventCodec.Encode(EventTypes.AllocationChanged, change, EventSources.Allocator, "ns-42/svc-4242");
        var decode = Measure(() =>
        {
            var decoded = CloudEventCodec.Decode(payload, EventTypes.AllocationChanged);
            if (decoded.Error is not null)
            {
                throw new InvalidOperationException(decoded.Error.ToString());
            }
        });
        var encode = Measure(() => CloudEventCodec.Encode(EventTypes.AllocationChanged, change, EventSources.Allocator, "ns-42/svc-4242"));

        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("## CloudEvents envelopes (`envelope`)");
        text.AppendLine();
        text.AppendLine("Command: `dotnet run -c Release --project bench/Beacon.Benchmarks -- --docs docs/benchmarks.md envelope`. ");
        text.AppendLine(c, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}; 1-minute load average {LoadAverage()} (the machine is shared, so thread CPU time is the figure to compare).");
        text.AppendLine();
        text.AppendLine(c, $"One `io.beacon.allocation.changed.v1` envelope of {payload.Length} bytes, {Messages:N0} times per round, best of {Rounds} rounds, on one thread.");
        text.AppendLine();
        text.AppendLine("| Operation | CPU time per message | Allocated per message | 1,000,000 messages (bus benchmark) |");
        text.AppendLine("|---|---|---|---|");
        text.AppendLine(c, $"| decode envelope + data (`CloudEventCodec.Decode<T>`) | {decode.Micros:F2} µs | {decode.Bytes:N0} B | {decode.Micros:F1} s CPU |");
        text.AppendLine(c, $"| encode (`CloudEventCodec.Encode`) | {encode.Micros:F2} µs | {encode.Bytes:N0} B | {encode.Micros:F1} s CPU |");
        return Task.FromResult(text.ToString().TrimEnd());
    }

    internal static (double Micros, long Bytes) Measure(Action once)
    {
        for (var i = 0; i < 10_000; i++)
        {
            once();
        }

        var best = double.MaxValue;
        long bytes = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var cpu = ThreadCpuTime.Current();
            for (var i = 0; i < Messages; i++)
            {
                once();
            }

            best = Math.Min(best, (ThreadCpuTime.Current() - cpu).TotalMicroseconds / Messages);
            bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / Messages;
        }

        return (best, bytes);
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
