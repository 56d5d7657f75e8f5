using NATS.NKeys;

namespace Beacon.Messaging.Nats;

/// <summary>
/// A user's NKey seed file as operators have it: the seed (<c>SU...</c>) alone, as <c>nk -gen user</c> writes it, or
/// with the public key beside it. NATS.Net's own NKeyFile insists on both lines, so Beacon reads the file and derives
/// the public key from the seed.
/// </summary>
internal static class NKeySeedFile
{
    /// <summary>The seed and its public key, or null with <paramref name="problem"/> saying what is wrong with the file.</summary>
    public static (string Seed, string PublicKey)? TryRead(string path, out string? problem)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot be read ({e.Message})";
            return null;
        }

        var seed = lines.Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("SU", StringComparison.Ordinal));
        if (seed is null)
        {
            problem = "holds no user NKey seed (a line starting with SU, e.g. from 'nk -gen user')";
            return null;
        }

        try
        {
            using var pair = KeyPair.FromSeed(seed.AsSpan());
            problem = null;
            return (seed, pair.GetPublicKey());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The library reports a bad checksum or length with various exception types; the operator needs one answer.
            problem = "holds a line starting with SU that is not a valid NKey seed";
            return null;
        }
    }
}
