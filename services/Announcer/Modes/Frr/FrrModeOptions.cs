namespace Beacon.Announcer.Modes.Frr;

/// <summary>How the frr mode reaches FRR's vtysh and which BGP instance it adds its networks to.</summary>
public sealed class FrrModeOptions
{
    public string VtyshPath { get; set; } = "vtysh";

    /// <summary>Extra vtysh arguments placed before the commands, e.g. <c>--vty_socket /run/frr/ns1</c> or <c>-N ns1</c>.</summary>
    public IReadOnlyList<string> VtyshArguments { get; set; } = [];

    /// <summary>Runs vtysh through this wrapper (e.g. <c>nsenter -t PID -n -m</c>) when FRR lives elsewhere.</summary>
    public IReadOnlyList<string> CommandWrapper { get; set; } = [];

    /// <summary>The AS of the <c>router bgp</c> to add networks to; null: the only default-VRF BGP instance FRR has.</summary>
    public uint? Asn { get; set; }

    /// <summary>
    /// Beacon owns exactly the networks whose route-map starts with this and the route-maps named so; everything
    /// else in FRR's configuration is the operator's and never touched.
    /// </summary>
    public string RouteMapPrefix { get; set; } = "BEACON";

    /// <summary>Also route node-subnet addresses this node owns (normally reached by ARP/NDP only).</summary>
    public bool AnnounceLocalAddresses { get; set; }

    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
