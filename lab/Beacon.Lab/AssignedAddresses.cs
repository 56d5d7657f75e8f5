using System.Text.Json;

namespace Beacon.Lab;

/// <summary>Reads the addresses the standalone Allocator assigned, from its persisted state (a ServiceList).</summary>
public static class AssignedAddresses
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string stateFile)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (!File.Exists(stateFile))
        {
            return result;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(stateFile));
            if (!doc.RootElement.TryGetProperty("items", out var items))
            {
                return result;
            }

            foreach (var item in items.EnumerateArray())
            {
                var meta = item.GetProperty("metadata");
                var key = $"{meta.GetProperty("namespace").GetString()}/{meta.GetProperty("name").GetString()}";
                var addresses = new List<string>();
                if (item.TryGetProperty("status", out var status) &&
                    status.TryGetProperty("loadBalancer", out var lb) &&
                    lb.TryGetProperty("ingress", out var ingress))
                {
                    addresses.AddRange(ingress.EnumerateArray()
                        .Select(i => i.TryGetProperty("ip", out var ip) ? ip.GetString() : null)
                        .OfType<string>());
                }

                result[key] = addresses;
            }
        }
        catch (Exception e) when (e is JsonException or IOException or KeyNotFoundException or InvalidOperationException)
        {
            // Mid-rename or not yet written: the caller polls again.
        }

        return result;
    }
}
