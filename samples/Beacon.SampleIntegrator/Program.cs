using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.SampleIntegrator;

// A tiny integrator: prints Beacon's allocation events (and optionally announcements) as they arrive.
// Read-only: it needs only subscribe permissions (the "integrator" user in compose/nats/authorization.conf).
IntegratorSettings settings;
try
{
    settings = IntegratorSettings.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(IntegratorSettings.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await using var bus = new NatsEventBus(settings.Nats);
var printed = 0;
void Print(string line)
{
    Console.WriteLine(line);
    if (settings.Count is { } count && Interlocked.Increment(ref printed) >= count)
    {
        stop.Cancel();
    }
}

bus.StateChanged += (_, e) => Console.Error.WriteLine($"bus {e.Change}{(e.Error is null ? "" : ": " + e.Error)}");
var reporter = new DroppedMessageReporter(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, bus.Counters);
try
{
    // Waits (retrying) until a server answers; the subscriptions below then survive any later reconnect.
    await bus.ConnectAsync(stop.Token);
}
catch (EventBusUnavailableException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

// Changes and releases share the allocation subjects; the envelope's type tells them apart.
await using var allocations = await bus.SubscribeAsync(Subjects.AllAllocations, (message, cancellationToken) =>
{
    var envelope = CloudEventCodec.Decode(message.Payload.Span);
    if (envelope.Value is { } e && e.TryGetData(EventTypes.AllocationChanged, out var changed, out _))
    {
        Print(EventText.Changed(changed));
    }
    else if (envelope.Value is { } r && r.TryGetData(EventTypes.AllocationReleased, out var released, out _))
    {
        Print(EventText.Released(released));
    }
    else
    {
        Console.Error.WriteLine($"skipped a message on {message.Subject}: {envelope.Error?.ToString() ?? envelope.Value?.Type}");
    }

    return ValueTask.CompletedTask;
});

IAsyncDisposable? announcements = null;
if (settings.Announcements)
{
    announcements = await bus.SubscribeAnnouncementsAsync((a, _) =>
    {
        Print(EventText.Announced(a));
        return ValueTask.CompletedTask;
    }, reporter);
}

Console.Error.WriteLine($"listening on {Subjects.AllAllocations} at {string.Join(", ", settings.Nats.Urls)} (Ctrl+C to stop)");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

if (announcements is not null)
{
    await announcements.DisposeAsync();
}

return 0;
