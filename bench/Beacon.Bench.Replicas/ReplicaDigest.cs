using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Beacon.Contracts;

namespace Beacon.Bench.Replicas;

/// <summary>
/// What a replica holds, as one hash: SHA-256 over "namespace/name epoch sequence\n" per Service in ordinal order of
/// those lines. The bus benchmark hashes its publisher's Services the same way (BusBenchmarks.Digest) and compares.
/// </summary>
internal static class ReplicaDigest
{
    public static string Of(IEnumerable<AllocationChanged> services)
    {
        var lines = services.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Service.Namespace}/{s.Service.Name} {s.Epoch} {s.Sequence}\n")).ToList();
        lines.Sort(StringComparer.Ordinal);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(lines))));
    }
}
