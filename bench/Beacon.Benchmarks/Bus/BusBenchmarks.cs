using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Beacon.Bench.Replicas;
using Beacon.Benchmarks.Contracts;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Processes;

namespace Beacon.Benchmarks.Bus;

/// <summary>
/// Three stages, each on its own nats-server with JetStream on loopback: one Allocator storing 10,000 allocation
/// changes with nobody reading (store alone); the same with 100 in-process agents following live (each with its own
/// connection, as real agents have); then cold agents reading the 10,000 services. Every wait has a deadline: a stage
/// that does not finish reports how far it got instead of hanging.
/// </summary>
internal sealed class BusBenchmarks : IBenchmarkSuite
{
    private const int Services = 10_000;
    private const int Agents = 100;
    private const int ColdRuns = 5;

    private static readonly TimeSpan StoreDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ConvergeDeadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ColdDeadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ConnectDeadline = TimeSpan.FromSeconds(60);

    private string? _firstDisconnect;

    public string Name => "bus";

    /// <summary>Set to 1 to measure under the runtime's default tiered JIT (the configuration of the runs up to 19:15).</summary>
    private const string TieredVariable = "BEACON_BENCH_BUS_TIERED";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        // Before anything runs: a missing or stale executable fails here, naming the command that publishes it.
        var replicasExecutable = NativeReplicaHost.RequireExecutable();
        if (Environment.GetEnvironmentVariable(TieredVariable) != "1" && Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0")
        {
            return await RunWithoutTieringAsync(cancellationToken);
        }

        var loadBefore = LoadAverage();
        var report = new Figures();
        await StoreAloneAsync(report, cancellationToken);
        Console.WriteLine($"store alone: {report.StoreAlone}");

        // Stage 2 alternated in one run (A B A B): the replicas in this JIT process (the proxy), then in their own
        // NativeAOT process as node agents run them (the faithful figure). The machine's load moves between minutes;
        // alternating keeps the two configurations comparable.
        await FanOutAsync(report, cold: true, cancellationToken);
        report.Runs.Add(InProcessRun(report));
        report.Runs.Add(await FanOutNativeAsync(replicasExecutable, cancellationToken));
        var again = new Figures { PublisherGrowth = report.PublisherGrowth };
        await FanOutAsync(again, cold: false, cancellationToken);
        report.Runs.Add(InProcessRun(again));
        report.Runs.Add(await FanOutNativeAsync(replicasExecutable, cancellationToken));
        return Report(report, $"{loadBefore} → {LoadAverage()}");
    }

    /// <summary>
    /// Runs this suite again in a child process with tiered compilation off and returns its section. The node agents
    /// ship NativeAOT (services/NativeAot.props) and run optimized code from their first message; under the default
    /// tiered JIT the 10 s burst is this process's warm-up: its hot paths (NATS.Net's read loop, the replicas' decode)
    /// were compiled three times (quick, instrumented, optimized), which took about a third of the stage's CPU
    /// (docs/benchmarks.md, bus). The runtime reads the setting only at start, hence the child process.
    /// </summary>
    private static async Task<string> RunWithoutTieringAsync(CancellationToken cancellationToken)
    {
        var docs = Path.Combine(Path.GetTempPath(), $"beacon-bench-bus-{Environment.ProcessId}.md");
        await File.WriteAllTextAsync(docs, "# Benchmarks\n", cancellationToken);
        try
        {
            var start = ExternalPrograms.StartInfo("dotnet", ["exec", typeof(BusBenchmarks).Assembly.Location, "--docs", docs, "bus"]);
            start.Environment["DOTNET_TieredCompilation"] = "0";
            using var child = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            await child.WaitForExitAsync(cancellationToken);
            var text = await File.ReadAllTextAsync(docs, cancellationToken);
            const string Begin = "<!-- bench:bus -->";
            const string End = "<!-- /bench:bus -->";
            var from = text.IndexOf(Begin, StringComparison.Ordinal);
            var to = text.IndexOf(End, StringComparison.Ordinal);
            return child.ExitCode == 0 && from >= 0 && to > from
                ? text[(from + Begin.Length)..to].Trim()
                : $"## Event bus (`bus`)\n\nThe run without tiered compilation failed (exit code {child.ExitCode}).";
        }
        finally
        {
            File.Delete(docs);
        }
    }

    /// <summary>Stage 1: the publisher storing with nobody reading; wall clock, our CPU and nats-server's CPU.</summary>
    private static async Task StoreAloneAsync(Figures figures, CancellationToken cancellationToken)
    {
        await using var server = await NatsServer.StartAsync(new NatsServerConfig(), cancellationToken);
        await using var bus = await ConnectAsync(server, cancellationToken);
        await using var publisher = new DesiredStatePublisher(bus);
        await publisher.StartAsync(cancellationToken);
        await publisher.Ready.WaitAsync(cancellationToken);

        // The publisher's own growth storing the Services (its maps, its connection): stage 2's process holds it too.
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var cpu = CpuClock.Start(server);
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StoreDeadline);
        var sent = 0;
        try
        {
            for (; sent < Services; sent++)
            {
                await publisher.PublishChangeAsync(SampleAllocation.Create(sent), deadline.Token);
            }

            await publisher.WhenStoredAsync(deadline.Token);
            figures.StoreAlone = new Stage(clock.Elapsed, cpu.Stop(), Services, null);
            figures.PublisherGrowth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            figures.StoreAlone = new Stage(clock.Elapsed, cpu.Stop(), sent - publisher.InFlight, $"not done within {StoreDeadline.TotalSeconds:N0} s: {sent:N0} sent, {publisher.InFlight} acks outstanding");
        }
    }

    /// <summary>Stage 2 (100 replicas following live, in this process) and stage 3 (cold replicas) when <paramref name="cold"/>, on one server.</summary>
    private async Task FanOutAsync(Figures figures, bool cold, CancellationToken cancellationToken)
    {
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

            var cpu = CpuClock.Start(server);
            var clock = Stopwatch.StartNew();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(StoreDeadline + ConvergeDeadline);
            try
            {
                for (var i = 0; i < Services; i++)
                {
                    await publisher.PublishChangeAsync(SampleAllocation.Create(i), deadline.Token);
                }

                figures.Sent = clock.Elapsed;
                await publisher.WhenStoredAsync(deadline.Token);
                figures.Stored = clock.Elapsed;
                Console.WriteLine($"live: stored after {figures.Stored.TotalMilliseconds:N0} ms");
                await Task.WhenAll(replicas.Select(r => r.WaitForAsync(v => v.Services.Count == Services && v.Synchronized, deadline.Token)));
                figures.Live = new Stage(clock.Elapsed, cpu.Stop(), Services, null);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                var held = replicas.Select(r => r.Current.Services.Count).Order().ToList();
                figures.Live = new Stage(
                    clock.Elapsed,
                    cpu.Stop(),
                    held[0],
                    string.Create(CultureInfo.InvariantCulture, $"not converged within {(StoreDeadline + ConvergeDeadline).TotalSeconds:N0} s: {held.Count(h => h == Services)} / {Agents} replicas complete; Services held min {held[0]:N0}, median {held[held.Count / 2]:N0}, max {held[^1]:N0}; publisher sent {publisher.Sequence:N0}, {publisher.InFlight} acks outstanding"));
            }

            Console.WriteLine($"live: {figures.Live}");
            var expected = publisher.Services;
            figures.Matching = replicas.Count(r => r.Current.Services.Count == expected.Count
                && expected.All(kv => r.Current.Services.TryGetValue(kv.Key, out var held) && held.Sequence == kv.Value.Sequence && held.Epoch == kv.Value.Epoch));
            figures.Disconnects = agentBuses.Sum(b => b.Counters.Get(MessagingCounter.Disconnects));
            figures.SlowConsumerDrops = agentBuses.Sum(b => b.Counters.Get(MessagingCounter.SlowConsumerDropped));
            figures.ExtraCatchUps = replicas.Sum(r => r.CatchUps) - Agents;
            figures.Causes = string.Create(
                CultureInfo.InvariantCulture,
                $"reconnects {agentBuses.Sum(b => b.Counters.Get(MessagingCounter.Reconnects))}, server slow-consumer closes {server.Log.Split('\n').Count(l => l.Contains("Slow Consumer", StringComparison.OrdinalIgnoreCase))}{(_firstDisconnect is null ? "" : "; first disconnect: " + _firstDisconnect)}");
            // Measured once the burst is over, as an agent's memory would be read between changes: the live
            // subscriptions let go of their payload chunks after this long without messages.
            await Task.Delay(LiveStateSubscription.IdleRelease * 5, cancellationToken);
            var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
            figures.Memory = new Memory(memoryAfter - memoryBefore, memoryAfter - memoryEmpty, memoryAfter, 0);

            var sample = publisher.Services.Values.First();
            var encoded = CloudEventCodec.Encode(EventTypes.AllocationChanged, sample, EventSources.Allocator, sample.Service.ToString());
            figures.PayloadBytes = encoded.Length;
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

        // A node agent starting cold has no other replicas in its process: the 100 live ones (about 360 MiB of state)
        // are gone first, or a full collection of their heap falling inside a run is what the run measures.
        replicas.Clear();
        agentBuses.Clear();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var memoryGone = GC.GetTotalMemory(forceFullCollection: true);
        if (figures.Memory.Freed > 0)
        {
            figures.Memory = figures.Memory with { Freed = figures.Memory.Freed - memoryGone, Publisher = memoryGone - memoryEmpty };
        }
        if (cold)
        {
            await ColdAsync(figures, server, cancellationToken);
        }
    }

    private static LiveRun InProcessRun(Figures f) => new(
        "replicas in this process (JIT, tiering off)", f.Live!, f.Stored, null, f.Live!.Cpu.Accounting, f.Matching,
        string.Create(CultureInfo.InvariantCulture, $"{f.Disconnects} / {f.Causes} / {f.SlowConsumerDrops} / {f.ExtraCatchUps}"),
        (f.Memory.State - f.PublisherGrowth) / (double)Agents);

    /// <summary>
    /// Stage 2 with the replicas in the NativeAOT replicas' process (<see cref="NativeReplicaHost"/>) and the publisher
    /// here (JIT, as the Allocator): the clock starts when that process reports every replica synchronized on the empty
    /// stream and stops when it reports every replica holding all Services; its CPU is what it reports for that span.
    /// </summary>
    private static async Task<LiveRun> FanOutNativeAsync(string executable, CancellationToken cancellationToken)
    {
        await using var server = await NatsServer.StartAsync(new NatsServerConfig { Extra = "write_deadline: \"60s\"" }, cancellationToken);
        await using var allocatorBus = await ConnectAsync(server, cancellationToken);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync(cancellationToken);
        await publisher.Ready.WaitAsync(cancellationToken);

        await using var host = NativeReplicaHost.Start(executable, server.Url, Agents, Services);
        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connecting.CancelAfter(ConnectDeadline);
        var synchronized = await host.ExpectAsync("synchronized", connecting.Token);

        var cpu = CpuClock.Start(server);
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StoreDeadline + ConvergeDeadline);
        var stored = TimeSpan.Zero;
        try
        {
            for (var i = 0; i < Services; i++)
            {
                await publisher.PublishChangeAsync(SampleAllocation.Create(i), deadline.Token);
            }

            await publisher.WhenStoredAsync(deadline.Token);
            stored = clock.Elapsed;
            var held = await host.ExpectAsync("held", deadline.Token);
            var live = new Stage(clock.Elapsed, cpu.Stop(), Services, null);
            var replicasCpu = TimeSpan.FromMicroseconds(long.Parse(held[0], CultureInfo.InvariantCulture) - long.Parse(synchronized[0], CultureInfo.InvariantCulture));
            var gc = string.Create(CultureInfo.InvariantCulture, $"GC {held[1]}/{held[2]}/{held[3]} collections (gen 0/1/2), paused {long.Parse(held[4], CultureInfo.InvariantCulture) / 1000:N0} ms, {long.Parse(held[5], CultureInfo.InvariantCulture) / (1024.0 * 1024):N0} MiB allocated; no JIT (NativeAOT)");
            var counters = await host.ExpectAsync("counters", deadline.Token);
            var expected = ReplicaDigest.Of(publisher.Services.Values);
            var matching = 0;
            for (var i = 0; i < Agents; i++)
            {
                var digest = await host.ExpectAsync("digest", deadline.Token);
                matching += digest[1] == Services.ToString(CultureInfo.InvariantCulture) && digest[2] == expected ? 1 : 0;
            }

            var memory = await host.ExpectAsync("memory", deadline.Token);
            var perReplica = (long.Parse(memory[1], CultureInfo.InvariantCulture) - long.Parse(memory[0], CultureInfo.InvariantCulture)) / (double)Agents;
            var slowConsumerCloses = server.Log.Split('\n').Count(l => l.Contains("Slow Consumer", StringComparison.OrdinalIgnoreCase));
            var run = new LiveRun(
                "replicas in their own NativeAOT process", live, stored, replicasCpu, gc, matching,
                string.Create(CultureInfo.InvariantCulture, $"{counters[0]} / reconnects {counters[1]}, server slow-consumer closes {slowConsumerCloses} / {counters[2]} / {counters[3]}"),
                perReplica);
            Console.WriteLine($"live, NativeAOT replicas: {live}; replicas' process CPU {replicasCpu.TotalMilliseconds:N0} ms; {gc}; exact {matching} / {Agents}");
            return run;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var live = new Stage(clock.Elapsed, cpu.Stop(), 0, string.Create(CultureInfo.InvariantCulture, $"not converged within {(StoreDeadline + ConvergeDeadline).TotalSeconds:N0} s (the replicas' process did not report every replica holding all {Services:N0}); publisher sent {publisher.Sequence:N0}, {publisher.InFlight} acks outstanding"));
            return new LiveRun("replicas in their own NativeAOT process", live, stored, null, "", 0, "not read", double.NaN);
        }
    }

    /// <summary>Stage 3: a new replica reading what the stream holds, <see cref="ColdRuns"/> times.</summary>
    private static async Task ColdAsync(Figures figures, NatsServer server, CancellationToken cancellationToken)
    {
        for (var run = 0; run < ColdRuns; run++)
        {
            await using var bus = await ConnectAsync(server, cancellationToken);
            await using var replica = new DesiredStateReplica(bus);
            var cpu = CpuClock.Start(server);
            var clock = Stopwatch.StartNew();
            await replica.StartAsync(cancellationToken);
            try
            {
                var view = await replica.WaitUntilSynchronizedAsync(cancellationToken).WaitAsync(ColdDeadline, cancellationToken);
                figures.Cold.Add(new Stage(clock.Elapsed, cpu.Stop(), view.Services.Count, view.Services.Count == Services ? null : $"held {view.Services.Count:N0}"));
            }
            catch (TimeoutException)
            {
                figures.Cold.Add(new Stage(clock.Elapsed, cpu.Stop(), replica.Current.Services.Count, $"not synchronized within {ColdDeadline.TotalSeconds:N0} s: {replica.Current.Services.Count:N0} held"));
            }

            Console.WriteLine($"cold {run + 1}: {figures.Cold[^1]}");
        }
    }

    private static string Report(Figures f, string load)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms";
        static string MiB(long bytes) => (bytes / (1024.0 * 1024)).ToString("N2", CultureInfo.InvariantCulture) + " MiB";
        static string Rate(double perSecond) => perSecond.ToString("N0", CultureInfo.InvariantCulture);
        static string Cpu(Stage s) => string.Create(CultureInfo.InvariantCulture, $"CPU: this process {s.Cpu.Process.TotalMilliseconds:N0} ms, nats-server {s.Cpu.Server.TotalMilliseconds:N0} ms");
        static string Partial(Stage s) => s.Problem is null ? "" : " — **" + s.Problem + "**";

        var store = f.StoreAlone!;
        var live = f.Live!;
        var cold = f.Cold.OrderBy(s => s.Wall).ToList();
        var coldMedian = cold.Count == 0 ? null : cold[cold.Count / 2];
        var coldText = coldMedian is null
            ? "not run"
            : $"median {Ms(coldMedian.Wall)}, min {Ms(cold[0].Wall)}, max {Ms(cold[^1].Wall)}{string.Concat(cold.Where(c => c.Problem is not null).Select(c => " — **" + c.Problem + "**"))}";
        var converged = live.Problem is null;

        var text = new StringBuilder();
        text.AppendLine("## Event bus (`bus`)");
        text.AppendLine();
        text.AppendLine("Command: `./build.sh --target=Publish && ./build.sh --target=Bench --bench=bus` (or `dotnet run -c Release --project bench/Beacon.Benchmarks -- --docs docs/benchmarks.md bus` after the Publish target, which builds the NativeAOT replicas' process the benchmark runs; without it the benchmark stops at once and names that command).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; nats-server {NatsServerVersion()} with JetStream on 127.0.0.1, all clients in one process except in the NativeAOT runs of stage 2 (table below: the replicas in their own process) (60 s client ping interval, write_deadline 60 s in stages 2–3); {(Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") == "0" ? "tiered compilation off (`DOTNET_TieredCompilation=0`: optimized code from the first call, as the NativeAOT agents run; the suite starts itself so unless `" + TieredVariable + "=1`)" : "the runtime's default tiered JIT (`" + TieredVariable + "=1`)")}. **1-minute load average {load}.**");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Stage 1, store alone: one `DesiredStatePublisher` stores {Services:N0} allocation changes (distinct Services, {f.PayloadBytes} bytes each as a CloudEvent, up to {new DesiredStatePublisherOptions().MaxAcksInFlight} JetStream acks in flight) in `BEACON_ALLOCATIONS` (file storage, 1 replica), nobody reading. Stage 2, live fan-out: the same on a fresh server with {Agents} `DesiredStateReplica`s (each with its own connection, as node agents have) that read the empty stream, then follow live changes over core NATS; the clock starts before the first publish and stops when every replica holds all {Services:N0}. Stage 3, cold read: once the live replicas are gone (as on a node, where an agent's process holds no other replicas), a new replica reads the {Services:N0} Services from the stream (ordered consumer, then live), {ColdRuns} runs. Every stage has a deadline and reports how far it got.");
        text.AppendLine();
        text.AppendLine("| Measure | Own client, snapshots (2026-11-22, load 47.9 → 49.5) | NATS.Net, JetStream consumer per replica, 256 acks in flight (2026-11-30 02:52, load 53.4 → 55.3) | Catch-up from the stream, live over core NATS, serializer decoding the data (2026-11-30 07:21, load 9.4 → 7.0) | The same, data read in one pass into shared strings (2026-11-30 11:08, load 1.7 → 3.0) | Envelope attributes not copied, payloads in pooled buffers, cold replicas read after the live ones are gone (2026-11-30 13:08, load 2.6 → 3) | Live messages kept as raw bytes on the read loop (`LiveStateSubscription`, no `NatsMsg` or channel per message), Services in a hash trie, one-byte address enums (2026-11-30 16:25, load 2.5) | The trie's buckets as bare arrays, payload chunks reused per subscription during a burst, no `BusMessage` per delivery, the envelope's data tokenized once, the interner's recent-value checks; memory per replica also counted as what disposing the replicas frees (2026-11-30 19:15, load 0.77 → 1.95; default tiered JIT, as every run before) | Tiered compilation off (optimized code from the first message, as the NativeAOT agents run; under the default tiered JIT the burst was this process's warm-up); JIT, GC and thread-pool work accounted (2026-11-30 22:16, load 2.63 → 2.81; stage 2: run 1 of its A B A B) | This run (stage 2: run 1 of the A B A B below, the replicas in this process): a handler's batch read in place from the take (no list of messages kept per reader), payload chunks the live subscription's own (let go of after a burst, not parked in the shared array pool), the benchmark's digest hashed line by line | Target |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| stage 1: storing {Services:N0} changes, nobody reading | — | 1,370–5,470 msg/s (a harness not kept) | 1,546 ms (6,470 msg/s); CPU: this process 2,284 ms, nats-server 520 ms | 2,086 ms (4,793 msg/s); CPU: this process 3,083 ms, nats-server 710 ms | 1,971 ms (5,074 msg/s); CPU: this process 2,876 ms, nats-server 540 ms | 775 ms (12,912 msg/s); CPU: this process 1,048 ms, nats-server 310 ms | 2,338 ms (4,278 msg/s); CPU: this process 3,127 ms, nats-server 610 ms | 854 ms (11,709 msg/s); CPU: this process 1,014 ms, nats-server 280 ms; JIT 379 ms (613 methods); 4,959 thread-pool work items; GC 2/1/1 collections (gen 0/1/2), paused 68 ms, 174 MiB allocated | {Ms(store.Wall)} ({Rate(store.Count / store.Wall.TotalSeconds)} msg/s); {Cpu(store)}; {store.Cpu.Accounting}{Partial(store)} | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| stage 2: storing {Services:N0} changes while {Agents} replicas follow (until every ack) | 11,318 ms (no acks) | 209,995 ms (48 msg/s) | 19,533 ms (512 msg/s) | 17,825 ms (561 msg/s) | 13,932 ms (718 msg/s) | 10,720 ms (933 msg/s) | 12,927 ms (774 msg/s) | 5,880 ms (1,701 msg/s) | {(f.Stored == TimeSpan.Zero ? "not finished" : $"{Ms(f.Stored)} ({Rate(Services / f.Stored.TotalSeconds)} msg/s)")} | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| stage 2: until all {Agents} replicas hold all {Services:N0} | 113,387 ms | 259,334 ms | 19,782 ms (50,552 deliveries/s); CPU: this process 31,126 ms, nats-server 2,960 ms | 17,871 ms (55,958 deliveries/s); CPU: this process 27,244 ms, nats-server 3,800 ms | 13,933 ms (71,773 deliveries/s); CPU: this process 20,987 ms, nats-server 3,290 ms | 10,725 ms (93,241 deliveries/s); CPU: this process 16,492 ms, nats-server 2,460 ms | 12,929 ms (77,344 deliveries/s); CPU: this process 21,078 ms, nats-server 2,810 ms | 5,882 ms (170,018 deliveries/s); CPU: this process 8,225 ms, nats-server 1,900 ms | {Ms(live.Wall)} ({Rate(Services * (double)Agents / live.Wall.TotalSeconds)} deliveries/s); {Cpu(live)}{Partial(live)} | **< 10 s: {(converged && live.Wall < TimeSpan.FromSeconds(10) ? "met" : "not met")}** |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| replicas holding exactly the publisher's Services (epoch and sequence of each) | 100 / 100 | 100 / 100 | 100 / 100 | 100 / 100 | 100 / 100 | 100 / 100 | 100 / 100 | 100 / 100 | {f.Matching} / {Agents} | all |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| disconnects / slow-consumer closes / client drops | 15 / 15 / 0 | 0 / 0 / 0 | 0 / reconnects 0, server slow-consumer closes 0 / 0 | 0 / reconnects 0, server slow-consumer closes 0 / 0 | 0 / reconnects 0, server slow-consumer closes 0 / 0 | 0 / reconnects 0, server slow-consumer closes 0 / 0 | 0 / reconnects 0, server slow-consumer closes 0 / 0 | 0 / reconnects 0, server slow-consumer closes 0 / 0 | {f.Disconnects} / {f.Causes} / {f.SlowConsumerDrops} | zero |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| extra catch-ups (reads of the whole stream after a gap or an unplaceable message) | — | — | 0 | 0 | 0 | 0 | 0 | 0 | {f.ExtraCatchUps} | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| stage 2: this process's CPU per delivery (publisher, {Agents} connections and replicas) | — | — | 31.1 µs | 27.2 µs | 21.0 µs | 16.5 µs | 21.1 µs (20.0 µs in a second run) | 8.2 µs | {(live.Cpu.Process.TotalMicroseconds / ((double)live.Count * Agents)).ToString("N1", CultureInfo.InvariantCulture)} µs | < ~15 µs (for < 10 s on 2 cores) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| stage 2: of which the runtime's own work (JIT compiling, garbage collection) | — | — | — | — | — | — | not counted | JIT 105 ms (129 methods); 20,589 thread-pool work items; GC 16/15/3 collections (gen 0/1/2), paused 1,520 ms, 1,057 MiB allocated | {live.Cpu.Accounting} | |");
        var perReplica = (f.Memory.State - f.PublisherGrowth) / Agents;
        text.AppendLine(CultureInfo.InvariantCulture, $"| managed memory per replica of {Services:N0} Services: after − before the burst (full GC) less what the publisher alone gained storing them in stage 1 ({MiB(f.PublisherGrowth)}), over the replica count | — | — | — | — | — | — | 2.97 MiB | 2.97 MiB | {MiB(perReplica)} | **≤ 3 MiB: {(perReplica <= 3L * 1024 * 1024 ? "met" : "not met")}** |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| the same, counted as what disposing the replicas and their connections frees (each connection's own buffers included) | — | — | — | — | — | — | 3.06 MiB | 3.06 MiB | {MiB(f.Memory.Freed / Agents)} | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| the same as before: after − before the burst (full GC), which also counts the publisher's own growth (its {Services:N0} Services; after the replicas were disposed the process held {MiB(f.Memory.Publisher)} more than before they connected) over the replica count | 10.6 MiB | 3.55 MiB | 4.20 MiB (4.31 MiB with its connection) | 3.59 MiB (3.70 MiB with its connection) | 3.60 MiB (3.73 MiB with its connection) | 3.06 MiB (3.16 MiB with its connection) | 3.03 MiB (3.13 MiB with its connection) | 3.03 MiB (3.13 MiB with its connection) | {MiB(f.Memory.State / Agents)} ({MiB(f.Memory.Whole / Agents)} with its connection) | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| stage 3: cold replica, {Services:N0} Services, {ColdRuns} runs | median 120 ms (snapshot pages) | median 929 ms, min 608 ms | median 192 ms, min 111 ms, max 217 ms; median run's CPU: this process 192 ms, nats-server 50 ms | median 227 ms, min 124 ms, max 302 ms; median run's CPU: this process 336 ms, nats-server 60 ms (the 100 live replicas still in the process) | median 133 ms, min 101 ms, max 277 ms; median run's CPU: this process 136 ms, nats-server 50 ms | median 97 ms, min 84 ms, max 195 ms; median run's CPU: this process 146 ms, nats-server 30 ms | median 155 ms, min 83 ms, max 242 ms; median run's CPU: this process 179 ms, nats-server 50 ms | median 95 ms, min 77 ms, max 317 ms; median run's CPU: this process 113 ms, nats-server 40 ms | {coldText}{(coldMedian is null ? "" : "; median run's " + Cpu(coldMedian))} | **< 200 ms: {(coldMedian is { Problem: null } && coldMedian.Wall < TimeSpan.FromMilliseconds(200) ? "met" : "not met")}** |");
        text.AppendLine();
        text.AppendLine("Decoding per message (the SDK versus the replica's one-pass reader) is measured by the `envelope` benchmark, and the replica's own CPU and allocations per live message without NATS by `bus-apply`; neither is repeated here. CPU per delivery is this process's CPU in stage 2 over the deliveries made (Services held by the slowest replica × replicas when it did not finish).");
        text.AppendLine();
        text.AppendLine("Memory: `GC.GetTotalMemory(forceFullCollection: true)` once with the replicas connected and synchronized on an empty stream and once when all hold the Services and the burst is over (half a second later: the live subscriptions let go of their payload chunks after 100 ms without messages); the difference over the replica count was the figure up to 16:25, but it also counts what the publisher in the same process gained (its own maps of the 10,000 Services it published). The target row subtracts that gain as measured in stage 1, where the same publisher stores the same Services alone (full GC before and after). A third figure is read once more after the replicas and their connections are disposed (the publisher still running): what that frees, over the replica count, is each replica's state with its whole connection and live subscription (buffers a disposed connection gives back to the shared pool stay in the process, as one agent process holds them once). Each replica interns its own strings, so the figure is what an agent on its own node holds.");
        text.AppendLine();
        AppendComparison(text, f.Runs);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"The cores are shared by nats-server, the publisher, all replicas and whatever else runs on the machine (load average above): wall-clock figures are a floor on a loaded machine; CPU times say where the work goes.");
        return text.ToString();
    }

    /// <summary>The A B A B table: the proxy (replicas in this JIT process) beside the faithful figure (their own NativeAOT process).</summary>
    private static void AppendComparison(StringBuilder text, List<LiveRun> runs)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms";
        static string Us(TimeSpan cpu, LiveRun r) => r.Live.Count == 0 ? "—" : (cpu.TotalMicroseconds / ((double)r.Live.Count * Agents)).ToString("N1", CultureInfo.InvariantCulture) + " µs";
        // The first column: the NativeAOT runs of the lead's 22:16 run, before the changes of this run's main-table column.
        string Row(string label, string before, Func<LiveRun, string> cell, string target = "") => $"| {label} | {before} | {string.Join(" | ", runs.Select(cell))} | {target} |";

        var native = runs.Where(r => r.ReplicasCpu is not null).ToList();
        var met = native.Count > 0 && native.All(r => r.Live.Problem is null && r.Live.Wall < TimeSpan.FromSeconds(10));
        var memoryMet = native.Count > 0 && native.All(r => r.MemoryPerReplica <= 3L * 1024 * 1024);
        text.AppendLine(CultureInfo.InvariantCulture, $"**Stage 2 as the node agents run: the replicas in their own NativeAOT process** (bench/Beacon.Bench.Replicas, published by `./build.sh --target=Publish`: {Agents} `DesiredStateReplica`s, each with its own connection and the same options, in one NativeAOT executable built with services/NativeAot.props as the NodeAgent is), the publisher staying in this JIT process as the Allocator, alternated in this run with the in-process configuration above (A B A B, each on a fresh nats-server). Exactness: the replicas' process reports per replica its count and a SHA-256 of every (Service, epoch, sequence), compared with the publisher's; memory per replica is measured in that process alone (full GC after − before the burst, over {Agents}), with no publisher to subtract.");
        text.AppendLine();
        text.AppendLine(Row("Stage 2 run", "Before (2026-11-30 22:16, load 2.63 → 2.81): its runs 2 / 4, replicas in their own NativeAOT process", r => $"{runs.IndexOf(r) + 1}: {r.Configuration}", "Target"));
        text.AppendLine($"|---|---|{string.Concat(runs.Select(_ => "---|"))}---|");
        text.AppendLine(Row($"until all {Agents} replicas hold all {Services:N0}", "6,279 ms / 5,980 ms", r => Ms(r.Live.Wall) + (r.Live.Problem is null ? "" : " — **" + r.Live.Problem + "**"), $"**< 10 s (NativeAOT replicas): {(met ? "met" : "not met")}**"));
        text.AppendLine(Row("storing (until every ack)", "2,170 ms / 1,767 ms", r => r.Stored == TimeSpan.Zero ? "not finished" : Ms(r.Stored)));
        text.AppendLine(Row("CPU: this process (publisher; and the replicas when in this process)", "590 ms / 569 ms", r => Ms(r.Live.Cpu.Process)));
        text.AppendLine(Row("CPU: the replicas' NativeAOT process", "7,733 ms / 7,668 ms", r => r.ReplicasCpu is { } c ? Ms(c) : "—"));
        text.AppendLine(Row("CPU: nats-server", "1,920 ms / 1,470 ms", r => Ms(r.Live.Cpu.Server)));
        text.AppendLine(Row("CPU per delivery: both processes / this process / the replicas' process", "8.3 µs / 0.6 µs / 7.7 µs; 8.2 µs / 0.6 µs / 7.7 µs", r => r.ReplicasCpu is { } c
            ? $"{Us(r.Live.Cpu.Process + c, r)} / {Us(r.Live.Cpu.Process, r)} / {Us(c, r)}"
            : $"{Us(r.Live.Cpu.Process, r)} / {Us(r.Live.Cpu.Process, r)} / —"));
        text.AppendLine(Row("runtime work: this process / the replicas' process", "the replicas' process: GC 232/120/9 and 231/119/9 collections (gen 0/1/2), paused 3,157 / 2,902 ms, 1,354 / 1,356 MiB allocated", r => r.ReplicasCpu is null ? r.Runtime : $"{r.Live.Cpu.Accounting} / {r.Runtime}"));
        text.AppendLine(Row($"managed memory per replica of {Services:N0} Services", "3.03 MiB / 3.02 MiB", r => double.IsNaN(r.MemoryPerReplica) ? "not read" : (r.MemoryPerReplica / (1024 * 1024)).ToString("N2", CultureInfo.InvariantCulture) + " MiB", $"**≤ 3 MiB (NativeAOT replicas): {(memoryMet ? "met" : "not met")}**"));
        text.AppendLine(Row("replicas holding exactly the publisher's Services", "100 / 100; 100 / 100", r => $"{r.Matching} / {Agents}", "all"));
        text.AppendLine(Row("disconnects / slow-consumer closes / client drops / extra catch-ups", "0 / 0 / 0 / 0 in both", r => r.Health, "zero"));
    }

    private sealed class Figures
    {
        public Stage? StoreAlone { get; set; }

        /// <summary>What the publisher alone gained storing the Services (stage 1).</summary>
        public long PublisherGrowth { get; set; }
        public TimeSpan Sent { get; set; }
        public TimeSpan Stored { get; set; }
        public Stage? Live { get; set; }
        public int Matching { get; set; }
        public long Disconnects { get; set; }
        public long SlowConsumerDrops { get; set; }
        public int ExtraCatchUps { get; set; }
        public string Causes { get; set; } = "";
        public Memory Memory { get; set; } = new(0, 0, 0, 0);
        public List<Stage> Cold { get; } = [];
        public int PayloadBytes { get; set; }

        /// <summary>Stage 2 alternated: in this process, NativeAOT process, in this process, NativeAOT process.</summary>
        public List<LiveRun> Runs { get; } = [];
    }

    /// <summary>One stage 2 run of either configuration.</summary>
    /// <param name="ReplicasCpu">CPU of the replicas' own process (null: the replicas ran in this one, inside <see cref="Stage.Cpu"/>).</param>
    /// <param name="Health">disconnects / reconnects and server slow-consumer closes / client drops / extra catch-ups.</param>
    private sealed record LiveRun(string Configuration, Stage Live, TimeSpan Stored, TimeSpan? ReplicasCpu, string Runtime, int Matching, string Health, double MemoryPerReplica);

    /// <param name="Count">Services done (stored, or held by the slowest replica).</param>
    /// <param name="Problem">Null when the stage finished; otherwise how far it got.</param>
    private sealed record Stage(TimeSpan Wall, CpuTimes Cpu, int Count, string? Problem)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Wall.TotalMilliseconds:N0} ms wall, {Count:N0} done, CPU {Cpu.Process.TotalMilliseconds:N0} ms here / {Cpu.Server.TotalMilliseconds:N0} ms nats-server; {Cpu.Accounting}{(Problem is null ? "" : "; " + Problem)}");
    }

    /// <param name="Jit">Time this process spent compiling methods (JIT, all threads) and how many it compiled.</param>
    /// <param name="Gc">Collections of generations 0, 1 and 2, total pause and bytes allocated.</param>
    private sealed record CpuTimes(TimeSpan Process, TimeSpan Server, TimeSpan Jit, int JitMethods, RuntimeWork Gc)
    {
        public string Accounting => string.Create(
            CultureInfo.InvariantCulture,
            $"JIT {Jit.TotalMilliseconds:N0} ms ({JitMethods:N0} methods); {Gc.WorkItems:N0} thread-pool work items; GC {Gc.Gen0}/{Gc.Gen1}/{Gc.Gen2} collections (gen 0/1/2), paused {Gc.Pause.TotalMilliseconds:N0} ms, {Gc.Allocated / (1024.0 * 1024):N0} MiB allocated");
    }

    /// <param name="WorkItems">Thread-pool work items run: hand-overs between threads (read loops, continuations), a count that does not depend on load.</param>
    private sealed record RuntimeWork(int Gen0, int Gen1, int Gen2, TimeSpan Pause, long Allocated, long WorkItems)
    {
        public static RuntimeWork Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: false), ThreadPool.CompletedWorkItemCount);

        public RuntimeWork Since(RuntimeWork start) => new(Gen0 - start.Gen0, Gen1 - start.Gen1, Gen2 - start.Gen2, Pause - start.Pause, Allocated - start.Allocated, WorkItems - start.WorkItems);
    }

    /// <summary>CPU time used by this process and by nats-server between start and stop.</summary>
    private sealed class CpuClock
    {
        private readonly int? _server;
        private readonly TimeSpan _process;
        private readonly TimeSpan _serverStart;
        private readonly TimeSpan _jit = System.Runtime.JitInfo.GetCompilationTime();
        private readonly long _jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
        private readonly RuntimeWork _gc = RuntimeWork.Now();

        private CpuClock(int? server)
        {
            _server = server;
            _process = Process.GetCurrentProcess().TotalProcessorTime;
            _serverStart = ServerCpu(server);
        }

        public static CpuClock Start(NatsServer server) => new(server.ProcessId);

        public CpuTimes Stop() => new(
            Process.GetCurrentProcess().TotalProcessorTime - _process,
            ServerCpu(_server) - _serverStart,
            System.Runtime.JitInfo.GetCompilationTime() - _jit,
            (int)(System.Runtime.JitInfo.GetCompiledMethodCount() - _jitMethods),
            RuntimeWork.Now().Since(_gc));

        private static TimeSpan ServerCpu(int? pid)
        {
            try
            {
                using var process = pid is { } id ? Process.GetProcessById(id) : null;
                return process?.TotalProcessorTime ?? TimeSpan.Zero;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <param name="State">Growth from synchronized-but-empty replicas to full ones.</param>
    /// <param name="Whole">Growth from before the replicas' connections existed to full replicas.</param>
    /// <param name="Freed">What disposing the replicas and their connections freed.</param>
    /// <param name="Publisher">What the process held after the replicas were gone minus before they connected.</param>
    private sealed record Memory(long State, long Whole, long Freed, long Publisher);

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
