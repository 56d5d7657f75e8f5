using System.Globalization;
using System.Text;

namespace Beacon.Benchmarks.Scale;

/// <summary>
/// N layer-2 Services in a LAN pool: a /22 (198.18.32.0/22) that the benchmark adds to every node's eth0 beside the
/// lab's /24, because the lab's own LAN pool holds 20 addresses. One elected owner per address puts it on its eth0
/// and the kernel answers ARP for it.
/// </summary>
internal static class LanScaleManifest
{
    public const string FileName = "91-scale-l2.yaml";
    public const string Namespace = "scale-l2";
    public const string SubnetPrefix = "198.18.32.0/22";

    /// <summary>The address each node carries in the /22 (its own, not a Service's).</summary>
    public static string NodeAddress(string node) =>
        string.Create(CultureInfo.InvariantCulture, $"198.18.32.{10 + Beacon.Lab.LabTopology.NodeNumber(node)}");

    /// <summary>Whether an address is one of the pool's (198.18.32.16–198.18.35.254).</summary>
    public static bool InPool(System.Net.IPAddress address)
    {
        var b = address.GetAddressBytes();
        return b.Length == 4 && b[0] == 198 && b[1] == 18 && b[2] is >= 32 and <= 35 && (b[2] > 32 || b[3] >= 16);
    }

    public static string Render(int services)
    {
        var yaml = new StringBuilder("""
            apiVersion: purelb.io/v1
            kind: ServiceGroup
            metadata:
              name: scale-lan
              namespace: beacon-system
            spec:
              local:
                v4pool:
                  subnet: 198.18.32.0/22
                  pool: 198.18.32.16-198.18.35.254
                  aggregation: default

            """);
        for (var i = 0; i < services; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: l2-{i:D4}
                  namespace: {Namespace}
                  annotations:
                    purelb.io/service-group: scale-lan
                spec:
                  type: LoadBalancer
                  selector: {"{"} app: web {"}"}
                  ports:
                    - {"{"} name: http, port: 80, protocol: TCP {"}"}

                """);
        }

        return yaml.ToString();
    }
}
