using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Beacon.Benchmarks.Contracts;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.TestSupport.Nats;

namespace Beacon.Benchmarks.Bus;

/// <summary>
/// One Allocator storing 10,000 allocation changes in the BEACON_ALLOCATIONS stream, read live by 100 in-process agents
/// (each with its own connection and ordered consumer, as real agents have) through a real nats-server with JetStream on
/// loopback; then cold agents reading the 10,000 services from the stream.
/// </summary>
internal sealed class BusBenchmarks : IBenchmarkSuite
{
    private const int Services = 10_000;
    private const int Agents = 100;
    private const int ColdRuns = 5;

    private string? _firstDisconnect;

    public string Name => "bus";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var loadBefore = LoadAverage();
        // 100 agents share 2 cores here; a longer write deadline keeps nats-server from closing replicas that are
        // merely starved of CPU (each on its own node would not be), so the figures measure delivery, not recovery.
        await using var server = await NatsServer.StartAsync(new NatsServerConfig { Extra = "write_deadline: \"60s\"" }, cancellationToken);
        await using var allocatorBus = await ConnectAsync(server, cancellationToken);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync(cancellationToken);
        await publisher.Ready.WaitAsync(cancellationToken);

        GC.Collect();
        var memoryEmpty = GC.GetTotalMemory(forceFullCollection: true);
        var agentBuses = new List<NatsEventBus>();
        var replicas = new List<DesiredStateReplica>();
        try
        {
            for (var i = 0; i < Agents; i++)
            {
                var bus = await ConnectAsync(server, cancellationToken);
                bus.StateChanged += (_, e) =>
                {
                    if (e.Change == BusStateChange.Disconnected)
                    {
                        Interlocked.CompareExchange(ref _firstDisconnect, e.Error ?? "unknown", null);
                    }
                };
                agentBuses.Add(bus);
                var replica = new DesiredStateReplica(bus);
                replicas.Add(replica);
                await replica.StartAsync(cancellationToken);
            }

            await Task.WhenAll(replicas.Select(r => r.WaitUntilSynchronizedAsync(cancellationToken)));
            GC.Collect();
            var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Services; i++)
            {
                await publisher.PublishChangeAsync(SampleAllocation.Create(i), cancellationToken);
            }

            var sent = clock.Elapsed;
            await publisher.WhenStoredAsync(cancellationToken);
            var published = clock.Elapsed;
            await Task.WhenAll(replicas.Select(r => r.WaitForAsync(v => v.Services.Count == Services && v.Synchronized, cancellationToken)));
            var converged = clock.Elapsed;
            var expected = publisher.Services;
            var matching = replicas.Count(r => r.Current.Services.Count == expected.Count
                && expected.All(kv => r.Current.Services.TryGetValue(kv.Key, out var held) && held.Sequence == kv.Value.Sequence && held.Epoch == kv.Value.Epoch));
            var disconnects = agentBuses.Sum(b => b.Counters.Get(MessagingCounter.Disconnects));
            var slowConsumerDrops = agentBuses.Sum(b => b.Counters.Get(MessagingCounter.SlowConsumerDropped));
            var causes = string.Create(
                CultureInfo.InvariantCulture,
                $"reconnects {agentBuses.Sum(b => b.Counters.Get(MessagingCounter.Reconnects))}, server slow-consumer closes {server.Log.Split('\n').Count(l => l.Contains("Slow Consumer", StringComparison.OrdinalIgnoreCase))}{(_firstDisconnect is null ? "" : "; first disconnect: " + _firstDisconnect)}");
            var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);

            var cold = new List<TimeSpan>();
            for (var run = 0; run < ColdRuns; run++)
            {
                await using var bus = await ConnectAsync(server, cancellationToken);
                await using var replica = new DesiredStateReplica(bus);
                var coldClock = Stopwatch.StartNew();
                await replica.StartAsync(cancellationToken);
                var view = await replica.WaitUntilSynchronizedAsync(cancellationToken);
                coldClock.Stop();
                if (view.Services.Count != Services)
                {
                    throw new InvalidOperationException($"cold replica got {view.Services.Count} services");
                }

                cold.Add(coldClock.Elapsed);
            }

            cold.Sort();
            var sample = publisher.Services.Values.First();
            var encoded = CloudEventCodec.Encode(EventTypes.AllocationChanged, sample, EventSources.Allocator, sample.Service.ToString());
            var payload = encoded.Length;
            var decoding = MeasureDecoding(new BusMessage(Subjects.Allocation(sample.Service), null, encoded));
            var memory = new Memory(memoryAfter - memoryBefore, memoryAfter - memoryEmpty);
            return Report(sent, published, publisher.Unstored, converged, matching, disconnects, slowConsumerDrops, memory, cold, payload, decoding, $"{loadBefore} → {LoadAverage()}", causes);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            foreach (var bus in agentBuses)
            {
                await bus.DisposeAsync();
            }
        }
    }

    private static string Report(
        TimeSpan sent,
        TimeSpan published,
        int unstored,
        TimeSpan converged,
        int matching,
        long disconnects,
        long slowConsumerDrops,
        Memory memory,
        List<TimeSpan> cold,
        int payloadBytes,
        Decoding decoding,
        string load,
        string causes)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms";
        static string MiB(long bytes) => (bytes / (1024.0 * 1024)).ToString("N2", CultureInfo.InvariantCulture) + " MiB";
        static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.AppendLine("## Event bus (`bus`)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `./build.sh --target=Bench --bench=bus` (or `dotnet run -c Release --project bench/Beacon.Benchmarks -- --docs docs/benchmarks.md bus`). ");
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; nats-server {NatsServerVersion()} on 127.0.0.1 (write_deadline 60 s), all clients in one process with a 60 s client ping interval (see the note below).");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"One `DesiredStatePublisher` stores {Services:N0} allocation changes (distinct services, {payloadBytes} bytes each as a CloudEvent, stored with a window of JetStream acks in flight, `DesiredStatePublisherOptions.MaxAcksInFlight`) in `BEACON_ALLOCATIONS` (file storage, 1 replica); {Agents} `DesiredStateReplica`s read the stream live, each with its own NATS connection and ordered consumer (as node agents do). Clock starts before the first publish and stops when every replica holds all {Services:N0} services.");
        text.AppendLine();
        text.AppendLine("| Measure | Result |");
        text.AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| sending {Services:N0} changes (up to {new DesiredStatePublisherOptions().MaxAcksInFlight} acks in flight) | {Ms(sent)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| until every store is acknowledged ({unstored} left for repair) | {Ms(published)} ({Rate(Services / published.TotalSeconds)} msg/s) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| until all {Agents} replicas match | {Ms(converged)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| deliveries ({Services:N0} × {Agents}) | {Rate(Services * (double)Agents / converged.TotalSeconds)} msg/s |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| replicas holding exactly the publisher's services (epoch and sequence of each) | {matching} / {Agents} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| disconnects during the run ({causes}) / client-side slow-consumer drops | {disconnects} / {slowConsumerDrops} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| managed memory per replica: {Services:N0} services held (after − before the run, both after a full GC) | {MiB(memory.State / Agents)} ({MiB(memory.State)} for {Agents}) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| managed memory per replica including its connection and consumer (after − before connecting) | {MiB(memory.Whole / Agents)} ({MiB(memory.Whole)} for {Agents}) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| cold replica: reading {Services:N0} services from the stream (last value per subject), {ColdRuns} runs | median {Ms(cold[cold.Count / 2])}, min {Ms(cold[0])}, max {Ms(cold[^1])} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| replica decoding per message, one thread's CPU (best of 5 × 200,000): the SDK (`CloudEventCodec.Decode<T>`) / the replica's one-pass reader (`AllocationMessage.Decode`) | {decoding.Sdk:F2} µs / {decoding.Replica:F2} µs |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Timing includes JSON encoding and decoding of every envelope and the replicas' immutable-state updates; the cores are shared by nats-server, the publisher and all replicas, and by whatever else runs on the machine: 1-minute load average {load} during this run, so treat the figures as a floor. The longer write deadline and ping interval only stop starved replicas from being disconnected, which agents on their own nodes would not be; any disconnect that still happens is listed above.");
        return text.ToString();
    }

    private static Decoding MeasureDecoding(BusMessage message)
    {
        var sdk = Contracts.EnvelopeBenchmarks.Measure(() => CloudEventCodec.Decode(message.Payload.Span, EventTypes.AllocationChanged));
        var replica = Contracts.EnvelopeBenchmarks.Measure(() =>
        {
            if (AllocationMessage.Decode(message, CloudEventCodec.DefaultMaxBytes).Error is { } error)
            {
                throw new InvalidOperationException(error.ToString());
            }
        });
        return new Decoding(sdk.Micros, replica.Micros);
    }

    private sealed record Decoding(double Sdk, double Replica);

    /// <param name="State">Growth from synchronized-but-empty replicas to full ones.</param>
    /// <param name="Whole">Growth from before the replicas' connections existed to full replicas.</param>
    private sealed record Memory(long State, long Whole);

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

    private static string NatsServerVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(NatsServerBinary.Path, "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return output.Replace("nats-server: ", "", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static async Task<NatsEventBus> ConnectAsync(NatsServer server, CancellationToken cancellationToken)
    {
        // Co-located and starved, a replica can go tens of seconds without reading; a long ping interval keeps the
        // client from declaring such a connection stale (agents on their own nodes use the 10 s default).
        var options = new NatsOptions { PingInterval = TimeSpan.FromSeconds(60) };
        options.Urls.Add(server.Url);
        var connection = new NatsEventBus(options);
        await connection.ConnectAsync(cancellationToken);
        return connection;
    }
}
