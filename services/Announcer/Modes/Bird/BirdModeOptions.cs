using System.ComponentModel;

namespace Beacon.Announcer.Modes.Bird;

/// <summary>Where the bird mode writes its routes and how it reaches BIRD.</summary>
public sealed class BirdModeOptions : Beacon.Hosting.Options.IOptionSection
{
    /// <summary>The include file the mode owns; BIRD's main config must <c>include</c> it exactly once.</summary>
    [Description("The include file the bird mode owns; BIRD's main config must include it once.")]
    public string IncludePath { get; set; } = "/etc/bird/beacon.conf";

    /// <summary>BIRD's control socket (<c>bird -s</c>).</summary>
    [Description("BIRD's control socket (bird -s).")]
    public string ControlSocket { get; set; } = "/run/bird/bird.ctl";

    /// <summary>
    /// Names of the generated static protocols are this plus 4 or 6 (<c>beacon4</c>, <c>beacon6</c>); BGP export
    /// filters select Beacon's routes with <c>proto = "beacon4"</c>.
    /// </summary>
    [Description("Generated static protocols are named this plus 4 or 6; BGP export filters select proto = \"beacon4\".")]
    public string ProtocolPrefix { get; set; } = "beacon";

    /// <summary>Also route node-subnet addresses this node owns (normally reached by ARP/NDP only).</summary>
    [Description("Also route node-subnet addresses this node owns (normally reached by ARP/NDP only).")]
    public bool AnnounceLocalAddresses { get; set; }

    /// <summary>
    /// Render a <c>protocol bfd</c> when a resource peer uses BFD. BIRD runs BGP's BFD sessions through a bfd protocol;
    /// turn this off when the operator's own configuration already has one.
    /// </summary>
    [Description("Render a protocol bfd when a resource peer uses BFD; turn off when your BIRD config has its own.")]
    public bool BfdProtocol { get; set; } = true;

    /// <summary>How long to wait for BIRD to answer a command.</summary>
    [Description("How long to wait for BIRD to answer a command.")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
