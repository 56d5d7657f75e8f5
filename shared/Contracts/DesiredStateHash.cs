using System.Security.Cryptography;
using System.Text.Json;

namespace Beacon.Contracts;

/// <summary>
/// SHA-256 (lowercase hex) over the desired state: each service's AllocationChanged, with Sequence and Epoch cleared so
/// only what nodes act on counts, serialised as compact JSON, one per line, ordered by service key.
/// Publisher and replicas compute it the same way, so equal state gives an equal hash.
/// </summary>
public static class DesiredStateHash
{
    public static string Compute(IEnumerable<AllocationChanged> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] newline = [(byte)'\n'];
        foreach (var service in services.OrderBy(s => s.Service))
        {
            var canonical = service with { Sequence = 0, Epoch = "" };
            hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(canonical, ContractsJsonContext.Default.AllocationChanged));
            hash.AppendData(newline);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
