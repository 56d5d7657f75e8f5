using System.ComponentModel;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>How the gobgp mode reaches gobgpd through the <c>gobgp</c> CLI.</summary>
public sealed class GoBgpModeOptions : Beacon.Hosting.Options.IOptionSection
{
    [Description("The gobgp CLI program.")]
    public string GobgpPath { get; set; } = "gobgp";

    /// <summary>
    /// gobgpd's API: a gRPC target such as <c>unix:///run/gobgp/api.sock</c> (gobgpd <c>--api-hosts unix://…</c>)
    /// or <c>127.0.0.1:50051</c>.
    /// </summary>
    [Description("gobgpd's API: unix:///path/api.sock or host:port.")]
    public string ApiTarget { get; set; } = "127.0.0.1:50051";

    /// <summary>Runs the CLI through this wrapper (e.g. <c>nsenter -t PID -n</c>) when gobgpd's API is elsewhere.</summary>
    [Description("Run gobgp through this wrapper command, e.g. nsenter,-t,PID,-n.")]
    public IReadOnlyList<string> CommandWrapper { get; set; } = [];

    /// <summary>Also route node-subnet addresses this node owns (normally reached by ARP/NDP only).</summary>
    [Description("Also route node-subnet addresses this node owns (normally reached by ARP/NDP only).")]
    public bool AnnounceLocalAddresses { get; set; }

    [Description("How long one gobgp call may take.")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
