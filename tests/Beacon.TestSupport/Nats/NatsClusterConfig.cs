using System.Globalization;
using System.Net;
using System.Text;

namespace Beacon.TestSupport.Nats;

/// <summary>The generated nats-server.conf of one cluster member: JetStream on, routes to every peer.</summary>
public sealed record NatsClusterConfig
{
    public string ClusterName { get; init; } = "beacon";

    /// <summary>Any further config lines (accounts, authorization), appended verbatim.</summary>
    public string? Extra { get; init; }

    public string Render(string serverName, IPAddress address, string storeDirectory, IReadOnlyList<IPAddress> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"server_name: {serverName}")
            .AppendLine(CultureInfo.InvariantCulture, $"listen: {address}:{NatsClusterMember.ClientPort}")
            .AppendLine(CultureInfo.InvariantCulture, $"http: {address}:{NatsClusterMember.MonitorPort}")
            .AppendLine("jetstream {")
            .AppendLine(CultureInfo.InvariantCulture, $"  store_dir: \"{storeDirectory}\"")
            // Fixed limits: without them each server sizes itself from the whole machine's memory and disk.
            .AppendLine("  max_memory_store: 64MB")
            .AppendLine("  max_file_store: 256MB")
            .AppendLine("}")
            .AppendLine("cluster {")
            .AppendLine(CultureInfo.InvariantCulture, $"  name: {ClusterName}")
            .AppendLine(CultureInfo.InvariantCulture, $"  listen: {address}:{NatsClusterMember.RoutePort}")
            // Clients reach the servers through loopback forwarders; advertising the namespace addresses would only
            // hand them URLs they cannot connect to.
            .AppendLine("  no_advertise: true")
            .AppendLine("  routes: [");
        foreach (var peer in peers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    nats://{peer}:{NatsClusterMember.RoutePort}");
        }

        text.AppendLine("  ]").AppendLine("}");
        if (Extra is not null)
        {
            text.AppendLine(Extra);
        }

        return text.ToString();
    }
}
