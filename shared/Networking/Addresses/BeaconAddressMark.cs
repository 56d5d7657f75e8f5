using System.Globalization;

namespace Beacon.Networking.Addresses;

/// <summary>The mark Beacon puts on its addresses, and detection of what the running kernel supports.</summary>
public static class BeaconAddressMark
{
    /// <summary>IFA_PROTO value for addresses added by Beacon (0xBC; <c>ip -d addr</c> shows "proto 0xbc"/188).</summary>
    public const byte Protocol = 0xBC;

    /// <summary>Suffix of the IPv4 label used when IFA_PROTO is unsupported.</summary>
    public const string LabelSuffix = ":bcn";

    private const int MaxLabelLength = 15;

    /// <summary>"eth0" → "eth0:bcn"; long names are shortened so the label fits IFNAMSIZ.</summary>
    public static string LabelFor(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(interfaceName);
        var room = MaxLabelLength - LabelSuffix.Length;
        return (interfaceName.Length > room ? interfaceName[..room] : interfaceName) + LabelSuffix;
    }

    /// <summary>IFA_PROTO appeared in Linux 5.18; older kernels silently ignore the attribute.</summary>
    public static AddressMarking DetectFromKernelRelease(string release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var parts = release.Split('.', '-');
        if (parts.Length >= 2 &&
            int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) &&
            int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return major > 5 || (major == 5 && minor >= 18) ? AddressMarking.Protocol : AddressMarking.Label;
        }

        return AddressMarking.Label;
    }

    /// <summary>Marking the running kernel supports (reads /proc/sys/kernel/osrelease).</summary>
    public static AddressMarking DetectRunningKernel()
    {
        try
        {
            return DetectFromKernelRelease(File.ReadAllText("/proc/sys/kernel/osrelease").Trim());
        }
        catch (IOException)
        {
            return AddressMarking.Label;
        }
    }
}
