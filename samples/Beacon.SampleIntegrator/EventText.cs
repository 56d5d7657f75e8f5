using System.Globalization;
using Beacon.Contracts;

namespace Beacon.SampleIntegrator;

/// <summary>One line of text per event, as an integrator might log or forward it.</summary>
internal static class EventText
{
    public static string Changed(AllocationChanged e)
    {
        var addresses = string.Join(", ", e.Addresses.Select(a => string.Create(
            CultureInfo.InvariantCulture,
            $"{a.Address}/{a.PrefixLength} {(a.Placement == AddressPlacement.Local ? "local" : "kube-lb0")}")));
        var ports = string.Join(",", e.Ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Port}/{p.Protocol}")));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"#{e.Sequence} CHANGED  {e.Service} [{addresses}] ports {ports} policy {e.ExternalTrafficPolicy} group {e.ServiceGroup ?? "-"} ready [{string.Join(",", e.ReadyNodes)}]");
    }

    public static string Released(AllocationReleased e) =>
        string.Create(CultureInfo.InvariantCulture, $"#{e.Sequence} RELEASED {e.Service}");

    public static string Announced(Announcement e) =>
        $"ANNOUNCE {e.Node} {e.Role} {e.Address} on {e.Interface} for {e.Service} ({e.Reason})";
}
