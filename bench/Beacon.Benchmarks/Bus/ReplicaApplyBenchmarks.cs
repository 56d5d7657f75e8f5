using System.Diagnostics;
using System.Globalization;
using System.Text;
using Beacon.Benchmarks.Contracts;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;

namespace Beacon.Benchmarks.Bus;

/// <summary>
/// The replica's own work per live message, without NATS: decode, the order rule, apply, the new view. Messages are
/// handed one at a time (a replica that keeps up gets them so), on this thread, so CPU time and allocated bytes are
/// this work's alone and stable under load. The <c>bus</c> suite measures the same with NATS.Net in between.
/// </summary>
internal sealed class ReplicaApplyBenchmarks : IBenchmarkSuite
{
    private const int Services = 10_000;
    private const int Runs = 5;

    public string Name => "bus-apply";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var epoch = DesiredStatePublisher.NewEpoch();
        var adds = Encode(i => SampleAllocation.Create(i) with { Sequence = i + 1, Epoch = epoch });
        // The same Services again, each with one ready node more: a change to what a replica holds.
        var changes = Encode(i => SampleAllocation.Create(i) with { ReadyNodes = ["node-a", "node-b", "node-c", "node-d"], Sequence = Services + i + 1, Epoch = epoch });

        var added = new List<(double Cpu, double Bytes)>();
        var changed = new List<(double Cpu, double Bytes)>();
        long memory = 0;
        for (var run = 0; run < Runs + 1; run++)
        {
            var options = new NatsOptions();
            options.Urls.Add("nats://127.0.0.1:4222"); // never connected: messages are handed over directly
            await using var bus = new NatsEventBus(options);
            await using var replica = new DesiredStateReplica(bus);
            var handler = (ILiveStateHandler)replica;
            handler.RoundStarted();
            handler.CaughtUp();
            handler.SeamClosed();
            var empty = GC.GetTotalMemory(forceFullCollection: true);
            var add = await HandleAsync(handler, adds, cancellationToken);
            memory = GC.GetTotalMemory(forceFullCollection: true) - empty;
            var change = await HandleAsync(handler, changes, cancellationToken);
            if (replica.Current.Services.Count != Services || replica.Current.Services.Values.Any(s => s.ReadyNodes.Count != 4))
            {
                throw new InvalidOperationException("the replica does not hold the changed Services");
            }

            if (run > 0)
            {
                // The first run warms the JIT up.
                added.Add(add);
                changed.Add(change);
            }
        }

        static string Median(List<(double Cpu, double Bytes)> runs) => string.Create(
            CultureInfo.InvariantCulture,
            $"{runs.Select(r => r.Cpu).Order().ElementAt(runs.Count / 2):N1} µs CPU, {runs.Select(r => r.Bytes).Order().ElementAt(runs.Count / 2):N0} bytes allocated");

        var text = new StringBuilder();
        text.AppendLine("## Replica apply without NATS (`bus-apply`)");
        text.AppendLine();
        text.AppendLine("Command: `dotnet run -c Release --project bench/Beacon.Benchmarks -- --docs docs/benchmarks.md bus-apply`.");
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}; 1-minute load average {LoadAverage()} (CPU time per message grows somewhat with load, allocations do not).");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"A `DesiredStateReplica` is handed {Services:N0} allocation changes of new Services, then {Services:N0} changes of the same Services, one message at a time as live messages (the envelope bytes the Allocator sends, {adds[0].Payload.Length} bytes), on one thread: decode, order rule, apply, new view. Median of {Runs} runs after a warm-up run, per message:");
        text.AppendLine();
        text.AppendLine("| Per live message | Replica |");
        text.AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| a new Service | {Median(added)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| a change of a held Service | {Median(changed)} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Managed memory of the replica's state after the {Services:N0} new Services (full GC before and after, last run): {memory / (1024.0 * 1024):N2} MiB, {memory / (double)Services:N0} bytes per Service. The `bus` figure per replica adds what its connection and live subscription keep after the burst.");
        return text.ToString();
    }

    private static List<StateMessage> Encode(Func<int, AllocationChanged> create) =>
        Enumerable.Range(0, Services).Select(i =>
        {
            var change = create(i);
            var payload = CloudEventCodec.Encode(EventTypes.AllocationChanged, change, EventSources.Allocator, change.Service.ToString());
            return new StateMessage(Subjects.Allocation(change.Service), payload, 0);
        }).ToList();

    /// <summary>CPU µs and bytes allocated per message, handing the messages over one by one.</summary>
    private static async Task<(double Cpu, double Bytes)> HandleAsync(ILiveStateHandler handler, List<StateMessage> messages, CancellationToken cancellationToken)
    {
        var one = new StateMessage[1];
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var message in messages)
        {
            one[0] = message;
            await handler.HandleAsync(one, cancellationToken);
        }

        var elapsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return (elapsed.TotalMicroseconds / messages.Count, (GC.GetAllocatedBytesForCurrentThread() - bytes) / (double)messages.Count);
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
