namespace Beacon.Allocator.Tests.Formats.Conflicts;

/// <summary>
/// Every pool kind Beacon reads (PureLB v1 and v2 ServiceGroups, OpenELB Eips, MetalLB IPAddressPools and the legacy
/// ConfigMap's address-pools), written as its users write it, so conflict tests run across every pair. Each writer
/// gives one manifest declaring pool <c>name</c> over range <c>first-last</c> (IPv4, inside 10.0.0.0/16) created at
/// <c>created</c>.
/// </summary>
internal static class PoolKinds
{
    public static readonly IReadOnlyDictionary<string, Func<string, string, DateTimeOffset, string>> Writers =
        new Dictionary<string, Func<string, string, DateTimeOffset, string>>(StringComparer.Ordinal)
        {
            ["ServiceGroup v1"] = (name, range, created) => $"""
                apiVersion: purelb.io/v1
                kind: ServiceGroup
                metadata:
                  name: {name}
                  namespace: purelb-system
                  creationTimestamp: "{Stamp(created)}"
                spec:
                  local:
                    v4pool:
                      subnet: 10.0.0.0/16
                      pool: {range}
                """,
            ["ServiceGroup v2"] = (name, range, created) => $"""
                apiVersion: purelb.io/v2
                kind: ServiceGroup
                metadata:
                  name: {name}
                  namespace: purelb-system
                  creationTimestamp: "{Stamp(created)}"
                spec:
                  local:
                    v4pools:
                    - subnet: 10.0.0.0/16
                      pool: {range}
                """,
            ["Eip"] = (name, range, created) => $"""
                apiVersion: network.kubesphere.io/v1alpha2
                kind: Eip
                metadata:
                  name: {name}
                  creationTimestamp: "{Stamp(created)}"
                spec:
                  address: {range}
                  protocol: layer2
                  interface: eth0
                """,
            ["IPAddressPool"] = (name, range, created) => $"""
                apiVersion: metallb.io/v1beta1
                kind: IPAddressPool
                metadata:
                  name: {name}
                  namespace: metallb-system
                  creationTimestamp: "{Stamp(created)}"
                spec:
                  addresses:
                  - {range}
                """,
            // MetalLB ≤ 0.12: one ConfigMap per cluster, so two of these never meet (see LegacyConfigMap).
            [LegacyConfigMap] = (name, range, created) => $"""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: config
                  namespace: metallb-system
                  creationTimestamp: "{Stamp(created)}"
                data:
                  config: |
                    address-pools:
                    - name: {name}
                      protocol: layer2
                      addresses:
                      - {range}
                """,
        };

    /// <summary>The writer of MetalLB's legacy ConfigMap: a cluster has one, so it pairs with every kind but itself.</summary>
    public const string LegacyConfigMap = "MetalLB ConfigMap";

    /// <summary>The kind each writer's pools carry in problems ("… of Eip 'older' …").</summary>
    public static string KindOf(string writer) => writer switch
    {
        LegacyConfigMap => "MetalLB ConfigMap address-pool",
        _ => writer.Split(' ')[0],
    };

    /// <summary>How the status rejected list names a rejected pool of this writer (v1 ServiceGroups by name only).</summary>
    public static string ReportedAs(string writer, string name) => writer switch
    {
        "ServiceGroup v1" => name,
        _ => $"{KindOf(writer)} {name}",
    };

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
