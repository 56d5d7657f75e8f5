using System.ComponentModel;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>How the gobgp mode reaches gobgpd: the <c>gobgp</c> CLI for routes and policies, its config file for peers.</summary>
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

    /// <summary>
    /// The file gobgpd runs with (<c>gobgpd -f FILE</c>, TOML). The Announcer keeps everything in it above its marker
    /// line and writes the resource peers below it, then sends gobgpd SIGHUP. Empty: resource peers are refused.
    /// </summary>
    [Description("gobgpd's config file (gobgpd -f FILE, TOML): the Announcer writes the resource peers into it and sends gobgpd SIGHUP. Empty: BGPPeer resources are not configured.")]
    public string ConfigPath { get; set; } = "";

    /// <summary>How long gobgpd waits between attempts to connect to a resource peer (gobgpd's own default is 120 s).</summary>
    [Description("How long gobgpd waits between connection attempts to a resource peer.")]
    public TimeSpan ConnectRetry { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long gobgpd may take to show a reloaded config file in its neighbour list.</summary>
    [Description("How long gobgpd may take to apply its reloaded config file.")]
    public TimeSpan ReloadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    [Description("How long one gobgp call may take.")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
