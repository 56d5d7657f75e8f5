using System.Collections;
using System.CommandLine;
using Beacon.Ctl.Commands;

namespace Beacon.Ctl;

/// <summary>beaconctl's command tree; <see cref="RunAsync"/> is what Program and the tests call.</summary>
public static class BeaconctlApp
{
    public static RootCommand Build(CtlContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = new RootCommand("beaconctl: inspect a Beacon installation over NATS (status, explain, nodes, events; fail-node in the lab).\n" + CtlExitCodes.HelpText);
        foreach (var option in context.Nats.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(StatusCommand.Create(context));
        root.Subcommands.Add(ExplainCommand.Create(context));
        root.Subcommands.Add(NodesCommand.Create(context));
        root.Subcommands.Add(EventsCommand.Create(context));
        root.Subcommands.Add(FailNodeCommand.Create(context));
        root.Subcommands.Add(ImportCommand.Create(context));
        return root;
    }

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IDictionary environment, bool terminal = false,
        CancellationToken cancellationToken = default)
    {
        var root = Build(new CtlContext(new NatsCommandLine(), output, error, environment, terminal));
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }
}
