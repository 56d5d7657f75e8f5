using Beacon.NodeAgent;
using Beacon.Hosting;

// Options, logging, /healthz, /readyz, /metrics and SIGTERM handling come from BeaconHost.
// Components register below, e.g. builder.Services.AddHostedService<...>(); readiness via AddReadinessCheck.
return await BeaconHost.RunAsync<NodeAgentOptions>(
    args,
    new ServiceIdentity("beacon-nodeagent", "Elects the owner of each address among nodes and plumbs addresses on local or dummy interfaces.", 9471),
    static (builder, options) =>
    {
    });
