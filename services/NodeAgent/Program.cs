using Beacon.Hosting;
using Beacon.Hosting.Health;
using Beacon.Hosting.Memory;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.NodeAgent;
using Beacon.NodeAgent.Agent;
using Beacon.NodeAgent.Bus;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Before any socket exists: the node agent's socket reads complete on the socket thread, not on a pool worker (idle CPU).
InlineSocketCompletions.PreferUnlessSet();

// Options, logging, /healthz, /readyz, /metrics and SIGTERM handling come from BeaconHost.
// Components register below, e.g. builder.Services.AddHostedService<...>(); readiness via AddReadinessCheck.
return await BeaconHost.RunAsync<NodeAgentOptions>(
    args,
    new ServiceIdentity("beacon-nodeagent", "Elects the owner of each address among nodes and plumbs addresses on local or dummy interfaces.", 9471),
    static (builder, options) =>
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AgentMetrics>();
        builder.Services.AddSingleton<IEventBus>(sp => new NatsEventBus(
            options.Nats.ToNatsOptions("nodeagent-" + options.NodeName), sp.GetRequiredService<ILogger<NatsEventBus>>()));
        builder.Services.AddSingleton(sp => new DesiredStateReplica(
            sp.GetRequiredService<IEventBus>(),
            new DesiredStateReplicaOptions(),
            sp.GetRequiredService<ILogger<DesiredStateReplica>>()));
        var readiness = new NodeAgentReadiness();
        builder.Services.AddSingleton(readiness);
        builder.Services.AddReadinessCheck(readiness.Flag);
        // The strictARP finding also travels in the node's status, for the Allocator's Event on the Node.
        var strictArpFinding = new StrictArpFinding();
        builder.Services.AddSingleton(strictArpFinding);
        // The Allocator's LBNodeAgent settings, read from the bus (docs/servicegroups.md, "PureLB v2 LBNodeAgent").
        builder.Services.AddSingleton(new NodeAgentConfigFeed());
        // Where layer-2 addresses go: the option's interface until the agent has resolved the LBNodeAgent's.
        var announcing = new AnnouncingInterfaces(
            options.Interface == "default" ? Beacon.NodeAgent.Kernel.LinkReader.DefaultRouteInterface() ?? "lo" : options.Interface);
        builder.Services.AddSingleton(announcing);
        builder.Services.AddHostedService<NodeAgentWorker>();
        // Back to steady-state memory after a burst of Services (docs/operations.md, "Memory after a burst").
        builder.Services.AddHeapTrimmer();
        // kube-proxy IPVS without strictARP: not ready with the fix (docs/operations.md, "kube-proxy IPVS and strictARP").
        var strictArp = StrictArpWatch.NewFlag();
        builder.Services.AddReadinessCheck(strictArp);
        builder.Services.AddHostedService(sp => new StrictArpWatch(
            announcing,
            new Beacon.NodeAgent.Kernel.ArpSettingsReader(), strictArp, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StrictArpWatch>>(),
            strictArpFinding));
        if (options.LabCommands)
            builder.Services.AddHostedService(sp => new Beacon.NodeAgent.Lab.LabFailNodeResponder(sp.GetRequiredService<IEventBus>(), options.NodeName,
                new Beacon.NodeAgent.Lab.SimulatedNodeDeath(options.Interface), sp.GetRequiredService<ILogger<Beacon.NodeAgent.Lab.LabFailNodeResponder>>()));
    });
