using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Beacon.Contracts;

namespace Beacon.Bench.Replicas;

/// <summary>
/// What a replica holds, as one hash: SHA-256 over "namespace/name epoch sequence\n" per Service in ordinal order of
/// those lines. The bus benchmark hashes its publisher's Services with this same method and compares.
/// </summary>
internal static class ReplicaDigest
{
    public static string Of(IEnumerable<AllocationChanged> services)
    {
        var lines = services.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Service.Namespace}/{s.Service.Name} {s.Epoch} {s.Sequence}\n")).ToList();
        lines.Sort(StringComparer.Ordinal);

        // Line by line: one string of all of them (half a MiB) was built in buffers rented from the shared array pool,
        // which kept them (0.94 MiB, up to a 512 KiB array) after the digest, inside the memory the replicas' process
        // reads next and reports as the replicas' (docs/benchmarks.md, bus).
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(line));
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
