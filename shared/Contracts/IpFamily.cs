using System.Diagnostics.CodeAnalysis;

namespace Beacon.Contracts;

/// <summary>An address family. One byte: every <see cref="AllocatedAddress"/> a node's replica holds carries one.</summary>
[SuppressMessage("Design", "CA1028:Enum Storage should be Int32", Justification = "Held per address in every replica; a byte keeps AllocatedAddress 8 bytes smaller.")]
public enum IpFamily : byte
{
    IPv4,
    IPv6,
}
