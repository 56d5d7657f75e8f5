using System.Diagnostics;
using System.Globalization;
using Beacon.Bench.Replicas;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;

// N DesiredStateReplicas, each with its own NATS connection (as N node agents), for the bus benchmark, which starts
// this NativeAOT executable and keeps the publisher (the Allocator) in its own JIT process. Arguments: URL REPLICAS
// SERVICES. Plain lines on stdout, each "word value…" (invariant culture); the benchmark reads them in order:
//   synchronized <cpu µs>            every replica read the (empty) stream; memory "before" taken
//   held <cpu µs> <gen0> <gen1> <gen2> <gc pause µs> <allocated bytes>   every replica holds SERVICES, synchronized
//   counters <disconnects> <reconnects> <slow-consumer drops> <extra catch-ups>
//   digest <index> <count> <sha256>  one per replica (ReplicaDigest)
//   memory <before> <after>          GC.GetTotalMemory(true) before the burst and after it (burst over, half a second on)
//   done
// then waits for "exit" or the end of stdin, disposes everything and exits 0. Errors go to stderr, exit code 1.
if (args.Length != 3 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var count) || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var services))
{
    await Console.Error.WriteLineAsync("usage: Beacon.Bench.Replicas NATS_URL REPLICAS SERVICES");
    return 2;
}

var buses = new List<NatsEventBus>();
var replicas = new List<DesiredStateReplica>();
try
{
    for (var i = 0; i < count; i++)
    {
        // As BusBenchmarks.ConnectAsync: co-located and starved, a replica can go tens of seconds without reading.
        var options = new NatsOptions { PingInterval = TimeSpan.FromSeconds(60) };
        options.Urls.Add(args[0]);
        var bus = new NatsEventBus(options);
        buses.Add(bus);
        await bus.ConnectAsync();
        var replica = new DesiredStateReplica(bus);
        replicas.Add(replica);
        await replica.StartAsync();
    }

    await Task.WhenAll(replicas.Select(r => r.WaitUntilSynchronizedAsync()));
    GC.Collect();
    var before = GC.GetTotalMemory(forceFullCollection: true);
    var gcStart = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: false));
    Line($"synchronized {Cpu()}");

    await Task.WhenAll(replicas.Select(r => r.WaitForAsync(v => v.Services.Count == services && v.Synchronized)));
    Line($"held {Cpu()} {GC.CollectionCount(0) - gcStart.Item1} {GC.CollectionCount(1) - gcStart.Item2} {GC.CollectionCount(2) - gcStart.Item3} {(long)(GC.GetTotalPauseDuration() - gcStart.Item4).TotalMicroseconds} {GC.GetTotalAllocatedBytes(precise: false) - gcStart.Item5}");
    Line($"counters {buses.Sum(b => b.Counters.Get(MessagingCounter.Disconnects))} {buses.Sum(b => b.Counters.Get(MessagingCounter.Reconnects))} {buses.Sum(b => b.Counters.Get(MessagingCounter.SlowConsumerDropped))} {replicas.Sum(r => r.CatchUps) - count}");
    for (var i = 0; i < count; i++)
    {
        var view = replicas[i].Current;
        Line($"digest {i} {view.Services.Count} {ReplicaDigest.Of(view.Services.Values)}");
    }

    // As the in-process configuration: read once the burst is over (the live subscriptions let go of their payload
    // chunks after LiveStateSubscription.IdleRelease, 100 ms, without messages; the benchmark waits five times that).
    await Task.Delay(TimeSpan.FromMilliseconds(500));
    Line($"memory {before} {GC.GetTotalMemory(forceFullCollection: true)}");
    Line("done");

    while (await Console.In.ReadLineAsync() is { } command && command != "exit")
    {
    }

    return 0;
}
catch (Exception ex)
{
    await Console.Error.WriteLineAsync(ex.ToString());
    return 1;
}
finally
{
    foreach (var replica in replicas)
    {
        await replica.DisposeAsync();
    }

    foreach (var bus in buses)
    {
        await bus.DisposeAsync();
    }
}

static long Cpu() => (long)Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;

static void Line(string text)
{
    Console.Out.WriteLine(text);
    Console.Out.Flush();
}
