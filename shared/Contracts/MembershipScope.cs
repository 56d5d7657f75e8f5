using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Beacon.Contracts;

/// <summary>
/// The membership scope of a subnet: one subject token per L2 domain, so an agent hears the fast heartbeats of exactly
/// the peers it elects with (election only compares nodes on the address's subnet). IPv4 reads <c>v4-198-18-0-0-24</c>,
/// IPv6 <c>v6-</c> + the 32 hex digits of the network + <c>-</c> + the prefix length; a node without any subnet uses
/// <see cref="Unplaced"/>. Only a-z, 0-9 and '-', so no subject wildcard or separator can slip in.
/// </summary>
public static class MembershipScope
{
    /// <summary>The scope of a node whose interface has no subnet: it only hears its own echo.</summary>
    public const string Unplaced = "unplaced";

    /// <summary>The scope of <paramref name="subnet"/> (host bits are cleared, so every node on the subnet agrees).</summary>
    public static string Of(IPNetwork subnet)
    {
        Span<byte> bytes = stackalloc byte[16];
        subnet.BaseAddress.TryWriteBytes(bytes, out var written);
        bytes = bytes[..written];
        for (var bit = subnet.PrefixLength; bit < written * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        var length = subnet.PrefixLength.ToString(CultureInfo.InvariantCulture);
        return subnet.BaseAddress.AddressFamily == AddressFamily.InterNetwork
            ? string.Create(CultureInfo.InvariantCulture, $"v4-{bytes[0]}-{bytes[1]}-{bytes[2]}-{bytes[3]}-{length}")
            : "v6-" + Convert.ToHexStringLower(bytes) + "-" + length;
    }

    /// <summary>The scopes of a node's subnets, distinct and ordered; <see cref="Unplaced"/> alone when it has none.</summary>
    public static IReadOnlyList<string> For(IEnumerable<IPNetwork> subnets)
    {
        ArgumentNullException.ThrowIfNull(subnets);
        var scopes = subnets.Select(Of).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return scopes.Count == 0 ? [Unplaced] : scopes;
    }

    public static bool IsValid(string? token) =>
        !string.IsNullOrEmpty(token) && token.Length <= 64 && token.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <exception cref="ArgumentException">Not a scope token.</exception>
    public static string Validate(string scope) =>
        IsValid(scope) ? scope : throw new ArgumentException($"'{scope}' is not a membership scope (a-z, 0-9, '-', 1..64 characters)", nameof(scope));
}
