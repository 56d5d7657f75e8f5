using System.Net;

namespace Beacon.NodeAgent.Domain;

/// <summary>Orders addresses IPv4 first, then by their bytes: a stable order for plans, logs and tests.</summary>
public sealed class AddressOrder : IComparer<IPAddress>
{
    public static readonly AddressOrder Instance = new();

    public int Compare(IPAddress? x, IPAddress? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        x.TryWriteBytes(a, out var aLength);
        y.TryWriteBytes(b, out var bLength);
        return aLength != bLength ? aLength.CompareTo(bLength) : a[..aLength].SequenceCompareTo(b[..bLength]);
    }
}
