using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Highest-random-weight score of a node for an address: SHA-256 over the node name, a zero byte and the address
/// bytes. Every node computes the same scores, so they agree on a winner without talking; when a node goes, only
/// the addresses it had the top score for change hands.
/// </summary>
public readonly struct RendezvousScore : IComparable<RendezvousScore>, IEquatable<RendezvousScore>
{
    private readonly UInt128 _value;

    private RendezvousScore(UInt128 value) => _value = value;

    public static RendezvousScore Of(string node, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(address);
        var nameLength = Encoding.UTF8.GetByteCount(node);
        Span<byte> input = nameLength <= 256 ? stackalloc byte[nameLength + 17] : new byte[nameLength + 17];
        Encoding.UTF8.GetBytes(node, input);
        input[nameLength] = 0;
        address.TryWriteBytes(input[(nameLength + 1)..], out var written);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..(nameLength + 1 + written)], digest);
        // The leading 128 bits of the digest are as uniform as the whole; comparing them is enough.
        return new RendezvousScore(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(digest));
    }

    public int CompareTo(RendezvousScore other) => _value.CompareTo(other._value);

    public bool Equals(RendezvousScore other) => _value == other._value;

    public override bool Equals(object? obj) => obj is RendezvousScore other && Equals(other);

    public override int GetHashCode() => _value.GetHashCode();

    public static bool operator ==(RendezvousScore left, RendezvousScore right) => left.Equals(right);

    public static bool operator !=(RendezvousScore left, RendezvousScore right) => !left.Equals(right);

    public static bool operator <(RendezvousScore left, RendezvousScore right) => left.CompareTo(right) < 0;

    public static bool operator >(RendezvousScore left, RendezvousScore right) => left.CompareTo(right) > 0;

    public static bool operator <=(RendezvousScore left, RendezvousScore right) => left.CompareTo(right) <= 0;

    public static bool operator >=(RendezvousScore left, RendezvousScore right) => left.CompareTo(right) >= 0;
}
