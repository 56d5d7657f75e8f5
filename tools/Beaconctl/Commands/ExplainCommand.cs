using System.CommandLine;
using Beacon.Contracts;
using Beacon.Ctl.Rendering;

namespace Beacon.Ctl.Commands;

/// <summary>beaconctl explain namespace/service: the Allocator's plain-words account of one Service.</summary>
internal static class ExplainCommand
{
    public static Command Create(CtlContext context)
    {
        var timeout = TimeoutOption.Create(5, "How long to wait for the Allocator's answer");
        var service = new Argument<string>("service") { Description = "namespace/name (a bare name means namespace default)" };
        var command = new Command("explain", "Why a Service has no address or is not announced, in plain words") { service, timeout };
        command.SetAction((parse, ct) => context.RunAsync(parse, TimeoutOption.Get(parse, timeout), async session =>
        {
            var text = parse.GetValue(service) ?? string.Empty;
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var key = slash < 0 ? new ServiceKey("default", text) : new ServiceKey(text[..slash], text[(slash + 1)..]);
            var reply = await session.RequestAsync(Subjects.QueryExplain, QueryEventTypes.ExplainRequest, new ExplainQueryRequest(key),
                QueryEventTypes.ExplainReply, TimeoutOption.Get(parse, timeout), StatusCommand.WhoAnswers, ct).ConfigureAwait(false);
            ExplainView.Render(context.Console, reply);
            return reply.Found ? CtlExitCodes.Ok : CtlExitCodes.NotFound;
        }, ct));
        return command;
    }
}
