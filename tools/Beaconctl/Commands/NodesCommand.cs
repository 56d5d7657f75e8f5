using System.Collections.Concurrent;
using System.CommandLine;
using Beacon.Contracts;
using Beacon.Ctl.Rendering;

namespace Beacon.Ctl.Commands;

/// <summary>
/// beaconctl nodes: listens to every agent's heartbeats for a moment (membership, link, eligibility come straight from
/// the nodes, no responder needed) and asks the Allocator's status for what each node announces.
/// </summary>
internal static class NodesCommand
{
    public static Command Create(CtlContext context)
    {
        var listen = new Option<double>("--listen") { Description = "How long to collect heartbeats, in seconds (agents send one every second by default)", DefaultValueFactory = _ => 1.5 };
        var timeout = TimeoutOption.Create(3, "How long to wait for NATS and the Allocator's answer");
        var command = new Command("nodes", "Node membership, link state and what each node announces (from heartbeats and the Allocator's announcements)") { listen, timeout };
        command.SetAction((parse, ct) => context.RunAsync(parse, TimeoutOption.Get(parse, timeout), async session =>
        {
            var heard = new ConcurrentDictionary<string, (NodeHeartbeat, DateTimeOffset)>(StringComparer.Ordinal);
            await using (await session.Bus.SubscribeAsync(Subjects.AllHeartbeats, (message, _) =>
                         {
                             var decoded = CloudEventCodec.Decode(message.Payload.Span, EventTypes.NodeHeartbeat);
                             if (decoded.Value is { } heartbeat && Subjects.TryParseHeartbeat(message.Subject, out var node) && node == heartbeat.Node)
                             {
                                 heard[node] = (heartbeat, DateTimeOffset.UtcNow);
                             }

                             return ValueTask.CompletedTask;
                         }, cancellationToken: ct).ConfigureAwait(false))
            {
                var status = StatusAsync(session, TimeoutOption.Get(parse, timeout), ct);
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(listen))), ct).ConfigureAwait(false);
                var reply = await status.ConfigureAwait(false);
                var rows = NodeRows.Build(heard.Values.Where(h => !h.Item1.Leaving).ToList(), reply, DateTimeOffset.UtcNow);
                if (rows.Count == 0)
                {
                    throw new CtlFailure(CtlExitCodes.NoAnswer,
                        $"no heartbeat on {Subjects.AllHeartbeats} at {session.Url} within {parse.GetValue(listen)} s and no announcing node known: are node agents running?");
                }

                NodesView.Render(context.Console, rows, reply is not null);
                return CtlExitCodes.Ok;
            }
        }, ct));
        return command;
    }

    private static async Task<StatusQueryReply?> StatusAsync(CtlSession session, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await session.RequestAsync(Subjects.QueryStatus, QueryEventTypes.StatusRequest, new StatusQueryRequest(), QueryEventTypes.StatusReply,
                timeout, StatusCommand.WhoAnswers, cancellationToken).ConfigureAwait(false);
        }
        catch (CtlFailure e) when (e.ExitCode == CtlExitCodes.NoAnswer)
        {
            // Nodes are still worth showing without the Allocator; the table marks announcements as unknown.
            return null;
        }
    }
}
