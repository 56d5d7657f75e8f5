using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>nats-server's cumulative message counters from its monitoring endpoint (<c>/varz</c>).</summary>
internal sealed record ServerMessageCounts(
    [property: JsonPropertyName("in_msgs")] long InMsgs,
    [property: JsonPropertyName("out_msgs")] long OutMsgs)
{
    public static async Task<ServerMessageCounts> ReadAsync(HttpClient http, Uri monitoring) =>
        await http.GetFromJsonAsync<ServerMessageCounts>(new Uri(monitoring, "varz"))
        ?? throw new InvalidOperationException("nats-server /varz returned nothing");
}
