using System.ComponentModel;

namespace Beacon.Announcer.Modes.Frr;

/// <summary>How the frr mode reaches FRR's vtysh and which BGP instance it adds its networks to.</summary>
public sealed class FrrModeOptions : Beacon.Hosting.Options.IOptionSection
{
    [Description("The vtysh program.")]
    public string VtyshPath { get; set; } = "vtysh";

    /// <summary>Extra vtysh arguments placed before the commands, e.g. <c>--vty_socket /run/frr/ns1</c> or <c>-N ns1</c>.</summary>
    [Description("Extra vtysh arguments, e.g. --vty_socket,/run/frr/ns1 or -N,ns1.")]
    public IReadOnlyList<string> VtyshArguments { get; set; } = [];

    /// <summary>Runs vtysh through this wrapper (e.g. <c>nsenter -t PID -n -m</c>) when FRR lives elsewhere.</summary>
    [Description("Run vtysh through this wrapper command, e.g. nsenter,-t,PID,-n,-m.")]
    public IReadOnlyList<string> CommandWrapper { get; set; } = [];

    /// <summary>The AS of the <c>router bgp</c> to add networks to; null: the only default-VRF BGP instance FRR has.</summary>
    [Description("AS of the router bgp to add networks to; empty: FRR's only default-VRF BGP instance.")]
    public long? Asn { get; set; }

    /// <summary>
    /// Beacon owns exactly the networks whose route-map starts with this and the route-maps named so; everything
    /// else in FRR's configuration is the operator's and never touched.
    /// </summary>
    [Description("Beacon owns networks whose route-map starts with this and a dash, and those route-maps.")]
    public string RouteMapPrefix { get; set; } = "BEACON";

    /// <summary>Also route node-subnet addresses this node owns (normally reached by ARP/NDP only).</summary>
    [Description("Also route node-subnet addresses this node owns (normally reached by ARP/NDP only).")]
    public bool AnnounceLocalAddresses { get; set; }

    [Description("How long one vtysh call may take.")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
