namespace Beacon.Allocator.Tests.Formats.Conflicts;

/// <summary>
/// Every pool kind Beacon reads, written as its users write it, so conflict tests run across every pair. Each writer
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
        };

    /// <summary>The kind name problems use for each writer.</summary>
    public static string KindOf(string writer) => writer.Split(' ')[0];

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
