using Beacon.Announcer.Modes.Bird;
using Beacon.Announcer.Modes.Frr;
using Beacon.Announcer.Modes.GoBgp;
using Beacon.Announcer.Modes.L2;
using Beacon.Announcer.Modes.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Modes;

/// <summary>The modes this build of the Announcer offers: one registration line per mode.</summary>
public static class AnnouncerModeCatalog
{
    /// <summary>Modes read their options from the <see cref="AnnouncerOptions"/> and loggers from the services.</summary>
    public static AnnouncerModeFactory CreateFactory() => new AnnouncerModeFactory()
        .Register(BirdMode.ModeName, s => new BirdMode(
            Options(s).Bird,
            new BirdControlSocket(Options(s).Bird.ControlSocket, Options(s).Bird.CommandTimeout),
            Options(s).NodeName,
            s.GetRequiredService<ILogger<BirdMode>>()))
        .Register(FrrMode.ModeName, s => new FrrMode(
            Options(s).Frr,
            new ProcessCommandRunner(Options(s).Frr.CommandWrapper, Options(s).Frr.CommandTimeout),
            s.GetRequiredService<ILogger<FrrMode>>()))
        .Register(GoBgpMode.ModeName, s => new GoBgpMode(
            Options(s).Gobgp,
            new ProcessCommandRunner(Options(s).Gobgp.CommandWrapper, Options(s).Gobgp.CommandTimeout),
            new GoBgpdHangup(),
            s.GetRequiredService<ILogger<GoBgpMode>>()))
        .Register(L2Mode.ModeName, s => new L2Mode(Options(s).Interfaces, s.GetRequiredService<ILogger<L2Mode>>()));

    private static AnnouncerOptions Options(IServiceProvider services) => services.GetRequiredService<AnnouncerOptions>();
}
