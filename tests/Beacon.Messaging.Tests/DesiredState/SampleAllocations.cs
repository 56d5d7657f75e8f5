using System.Globalization;
using Beacon.Contracts;

namespace Beacon.Messaging.Tests.DesiredState;

internal static class SampleAllocations
{
    public static ServiceKey Key(int i) => new("ns-" + (i % 7).ToString(CultureInfo.InvariantCulture), "svc-" + i.ToString(CultureInfo.InvariantCulture));

    public static AllocationChanged For(int i, int variant = 0) => new(
        Key(i),
        [
            new AllocatedAddress(
                string.Create(CultureInfo.InvariantCulture, $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"),
                24,
                IpFamily.IPv4,
                (i + variant) % 2 == 0 ? AddressPlacement.Local : AddressPlacement.Remote,
                "default",
                "10.0.0.0/8",
                null),
        ],
        "default",
        [new ServicePort(80 + variant, "TCP")],
        variant % 2 == 0 ? TrafficPolicy.Cluster : TrafficPolicy.Local,
        ["node-a", "node-b"],
        null,
        0,
        "");
}
