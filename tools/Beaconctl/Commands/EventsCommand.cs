using System.CommandLine;
using Beacon.Contracts;
using Beacon.Ctl.Rendering;

namespace Beacon.Ctl.Commands;

/// <summary>beaconctl events: live tail of the bus, one decoded CloudEvent per line; --count and --timeout make it scriptable.</summary>
internal static class EventsCommand
{
    public static Command Create(CtlContext context)
    {
        var subject = new Option<string>("--subject") { Description = "NATS subject to tail, wildcards allowed", DefaultValueFactory = _ => Subjects.Root + ".>" };
        var type = new Option<string?>("--type") { Description = "Only events whose CloudEvents type starts with this (e.g. io.beacon.allocation or io.beacon.announcement.v1)" };
        var service = new Option<string?>("--service") { Description = "Only events about this Service (namespace/name): allocations and announcements" };
        var count = new Option<int>("--count") { Description = "Exit after this many events (0: no limit)" };
        var timeout = new Option<double>("--timeout") { Description = "Stop after this many seconds (0: no limit); with --count, too few events exit with 5" };
        var heartbeats = new Option<bool>("--heartbeats") { Description = "Include node heartbeats (hidden by default: each node sends ten a second)" };
        var command = new Command("events", "Live tail of the bus: decoded CloudEvents, one per line") { subject, type, service, count, timeout, heartbeats };
        command.SetAction((parse, ct) => context.RunAsync(parse, TimeSpan.FromSeconds(5), async session =>
        {
            var filter = new EventFilter(parse.GetValue(type), parse.GetValue(service));
            var wanted = parse.GetValue(count);
            var withHeartbeats = parse.GetValue(heartbeats) || filter.Type?.StartsWith(EventTypes.NodeHeartbeat.Name, StringComparison.Ordinal) == true;
            var seen = 0;
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (await session.Bus.SubscribeAsync(parse.GetValue(subject)!, async (message, _) =>
                         {
                             if (enough.Task.IsCompleted)
                             {
                                 return;
                             }

                             var decoded = CloudEventCodec.Decode(message.Payload.Span);
                             string line;
                             if (decoded.Value is { } e)
                             {
                                 if (!filter.Matches(message.Subject, e) || (!withHeartbeats && e.Is(EventTypes.NodeHeartbeat)))
                                 {
                                     return;
                                 }

                                 line = EventLine.Format(message.Subject, e);
                             }
                             else if (filter.Type is null && filter.Service is null)
                             {
                                 line = EventLine.Undecodable(message.Subject, decoded.Error!);
                             }
                             else
                             {
                                 return;
                             }

                             await context.Output.WriteLineAsync(line).ConfigureAwait(false);
                             await context.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                             if (++seen == wanted)
                             {
                                 enough.TrySetResult();
                             }
                         }, cancellationToken: ct).ConfigureAwait(false))
            {
                var limit = parse.GetValue(timeout);
                var stop = limit > 0 ? Task.Delay(TimeSpan.FromSeconds(limit), ct) : Task.Delay(Timeout.Infinite, ct);
                try
                {
                    await Task.WhenAny(enough.Task, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C ends a tail normally.
                }

                enough.TrySetResult();
                if (wanted > 0 && seen < wanted)
                {
                    throw new CtlFailure(CtlExitCodes.TooFewEvents, $"{seen} of {wanted} event(s) on {parse.GetValue(subject)} at {session.Url} before the timeout");
                }

                return CtlExitCodes.Ok;
            }
        }, ct));
        return command;
    }
}
