using Beacon.Announcer;
using Beacon.Hosting;
using Beacon.Hosting.Memory;

// Options, logging, /healthz, /readyz, /metrics and SIGTERM handling come from BeaconHost.
// Components register below, e.g. builder.Services.AddHostedService<...>(); readiness via AddReadinessCheck.
return await BeaconHost.RunAsync<AnnouncerOptions>(
    args,
    new ServiceIdentity("beacon-announcer", "Makes this node's addresses reachable: ARP/NDP replies (l2) or routes handed to BIRD, FRR or GoBGP.", 9472),
    static (builder, options) =>
    {
        Beacon.Announcer.Service.AnnouncerServiceRegistration.AddAnnouncer(builder.Services, options);
        // Back to steady-state memory after a burst of routes (docs/operations.md, "Memory after a burst").
        builder.Services.AddHeapTrimmer();
    });
