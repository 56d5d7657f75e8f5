using System.CommandLine;
using Beacon.Contracts;

namespace Beacon.Ctl.Commands;

/// <summary>beaconctl fail-node NODE (lab only): asks that node's agent to simulate node death.</summary>
internal static class FailNodeCommand
{
    public static Command Create(CtlContext context)
    {
        var timeout = TimeoutOption.Create(5, "How long to wait for the agent's answer");
        var node = new Argument<string>("node") { Description = "The node whose agent should die (its agent must run with --lab-commands true)" };
        var command = new Command("fail-node", "Lab only: the node's agent sets its LAN interface down and dies without leaving, so you can watch failover") { node, timeout };
        command.SetAction((parse, ct) => context.RunAsync(parse, TimeoutOption.Get(parse, timeout), async session =>
        {
            var name = parse.GetValue(node) ?? string.Empty;
            string subject;
            try
            {
                subject = Subjects.LabFailNode(name);
            }
            catch (ArgumentException e)
            {
                throw new CtlFailure(CtlExitCodes.Usage, $"'{name}' is not a node name: {e.Message}");
            }

            var reply = await session.RequestAsync(subject, QueryEventTypes.FailNodeRequest, new FailNodeRequest(name), QueryEventTypes.FailNodeReply,
                TimeoutOption.Get(parse, timeout), $"is {name}'s agent running with --lab-commands true?", ct).ConfigureAwait(false);
            await context.Output.WriteLineAsync((reply.Accepted ? "ok: " : "refused: ") + reply.Message).ConfigureAwait(false);
            return reply.Accepted ? CtlExitCodes.Ok : CtlExitCodes.NotFound;
        }, ct));
        return command;
    }
}
