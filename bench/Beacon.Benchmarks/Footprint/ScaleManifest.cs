using System.Globalization;
using System.Text;

namespace Beacon.Benchmarks.Footprint;

/// <summary>
/// N BGP Services in one manifest file, with their own pool (a /20 outside every node subnet, 198.18.112.0/20), so
/// every node plumbs every address on kube-lb0 and its Announcer hands every route to BIRD.
/// </summary>
internal static class ScaleManifest
{
    public const string FileName = "90-footprint-scale.yaml";

    public static string Render(int services)
    {
        var yaml = new StringBuilder("""
            apiVersion: purelb.io/v1
            kind: ServiceGroup
            metadata:
              name: scale
              namespace: beacon-system
            spec:
              local:
                v4pool:
                  subnet: 198.18.112.0/20
                  pool: 198.18.112.1-198.18.127.254
                  aggregation: /32

            """);
        for (var i = 0; i < services; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: scale-{i:D4}
                  namespace: footprint
                  annotations:
                    purelb.io/service-group: scale
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
