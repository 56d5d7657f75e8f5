using System.CommandLine;
using Beacon.Contracts;
using Beacon.Ctl.Rendering;

namespace Beacon.Ctl.Commands;

/// <summary>beaconctl status: asks the leading Allocator for pools and Services.</summary>
internal static class StatusCommand
{
    public const string WhoAnswers = "the leading Allocator answers status queries; is it running and connected to this NATS?";

    public static Command Create(CtlContext context)
    {
        var timeout = TimeoutOption.Create(5, "How long to wait for the Allocator's answer");
        var ns = new Option<string?>("--namespace", "-n") { Description = "Only Services of this namespace" };
        var command = new Command("status", "Pools with size/used/free, and Services with their addresses, state and announcing nodes") { timeout, ns };
        command.SetAction((parse, ct) => context.RunAsync(parse, TimeoutOption.Get(parse, timeout), async session =>
        {
            var reply = await session.RequestAsync(Subjects.QueryStatus, QueryEventTypes.StatusRequest, new StatusQueryRequest(parse.GetValue(ns)),
                QueryEventTypes.StatusReply, TimeoutOption.Get(parse, timeout), WhoAnswers, ct).ConfigureAwait(false);
            StatusView.Render(context.Console, reply);
            return CtlExitCodes.Ok;
        }, ct));
        return command;
    }
}
