namespace Beacon.Networking.Netlink;

/// <summary>
/// The kernel refused a netlink request. <see cref="Errno"/> is the positive errno (e.g. 17 EEXIST, 19 ENODEV,
/// 95 EOPNOTSUPP); the message names the operation, the address and the interface involved.
/// </summary>
public sealed class NetlinkException : Exception
{
    public NetlinkException()
    {
    }

    public NetlinkException(string message)
        : base(message)
    {
    }

    public NetlinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public NetlinkException(string operation, int errno, string? kernelMessage)
        : base(Describe(operation, errno, kernelMessage))
    {
        Operation = operation;
        Errno = errno;
        KernelMessage = kernelMessage;
    }

    public string Operation { get; } = "";

    public int Errno { get; }

    /// <summary>The kernel's extended ack text, when it sent one (e.g. "Unknown device type").</summary>
    public string? KernelMessage { get; }

    public const int ENoEnt = 2;
    public const int EExist = 17;
    public const int ENoDev = 19;
    public const int EInval = 22;
    public const int EAddrNotAvail = 99;
    public const int EOpNotSupp = 95;

    private static string Describe(string operation, int errno, string? kernelMessage)
    {
        var name = errno switch
        {
            1 => "EPERM",
            ENoEnt => "ENOENT",
            EExist => "EEXIST",
            ENoDev => "ENODEV",
            EInval => "EINVAL",
            EOpNotSupp => "EOPNOTSUPP",
            EAddrNotAvail => "EADDRNOTAVAIL",
            16 => "EBUSY",
            105 => "ENOBUFS",
            _ => "errno " + errno,
        };
        return kernelMessage is { Length: > 0 }
            ? $"{operation}: {name} ({errno}): {kernelMessage}"
            : $"{operation}: {name} ({errno})";
    }
}
