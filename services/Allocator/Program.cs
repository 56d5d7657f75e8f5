using Beacon.Allocator;
using Beacon.Hosting;

// Options, logging, /healthz, /readyz, /metrics and SIGTERM handling come from BeaconHost.
// Components register below, e.g. builder.Services.AddHostedService<...>(); readiness via AddReadinessCheck.
return await BeaconHost.RunAsync<AllocatorOptions>(
    args,
    new ServiceIdentity("beacon-allocator", "Assigns addresses from ServiceGroup pools to LoadBalancer Services and publishes them on NATS.", 9470),
    static (builder, options) =>
    {
    });
