namespace Beacon.Networking.Addresses;

/// <summary>IFA_F_* from linux/if_addr.h (the 32-bit IFA_FLAGS form).</summary>
[Flags]
#pragma warning disable CA1711 // "Flags" is the kernel's own name for these bits
public enum AddressFlags : uint
#pragma warning restore CA1711
{
    None = 0,
    Secondary = 0x01,
    NoDad = 0x02,
    Optimistic = 0x04,
    DadFailed = 0x08,
    HomeAddress = 0x10,
    Deprecated = 0x20,
    Tentative = 0x40,
    Permanent = 0x80,
    ManageTemporaryAddress = 0x100,
    NoPrefixRoute = 0x200,
    MulticastAutoJoin = 0x400,
    StablePrivacy = 0x800,
}
