using System.Globalization;
using Beacon.Contracts;

namespace Beacon.Benchmarks.Contracts;

/// <summary>The allocation event the envelope and bus benchmarks send: three nodes, two ports, one IPv4 address per Service.</summary>
internal static class SampleAllocation
{
    public static AllocationChanged Create(int i) => new(
        new ServiceKey("ns-" + (i % 50).ToString(CultureInfo.InvariantCulture), "svc-" + i.ToString(CultureInfo.InvariantCulture)),
        [
            new AllocatedAddress(
                string.Create(CultureInfo.InvariantCulture, $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"),
                16,
                IpFamily.IPv4,
                AddressPlacement.Local,
                "default",
                "10.0.0.0/16",
                null),
        ],
        "default",
        [new ServicePort(80, "TCP"), new ServicePort(443, "TCP")],
        TrafficPolicy.Cluster,
        ["node-a", "node-b", "node-c"],
        null,
        0,
        "");
}
