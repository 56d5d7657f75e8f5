using System.Globalization;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Kernel;

/// <summary>
/// Reads <see cref="ArpSettings"/> of the calling thread's network namespace: links from <c>/proc/thread-self/net/dev</c>
/// (not <c>/proc/net</c>, which follows the process's main thread), sysctls from <c>/proc/sys/net</c> (which follows
/// the thread that opens them).
/// </summary>
public sealed class ArpSettingsReader(string procRoot = "/proc")
{
    public ArpSettings Read(string interfaceName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interfaceName);
        var links = File.ReadAllLines(Path.Combine(procRoot, "thread-self", "net", "dev"));
        var ipvs = links.Any(line => line.TrimStart().StartsWith(StrictArp.IpvsLink + ":", StringComparison.Ordinal));
        return new ArpSettings(
            ipvs,
            Sysctl("all", "arp_ignore"),
            Sysctl("all", "arp_announce"),
            Sysctl(interfaceName, "arp_ignore"),
            Sysctl(interfaceName, "arp_announce"));
    }

    /// <summary>0 (the kernel default) when the interface has no such entry, e.g. it is gone.</summary>
    private int Sysctl(string scope, string name)
    {
        var path = Path.Combine(procRoot, "sys", "net", "ipv4", "conf", scope, name);
        try
        {
            return int.Parse(File.ReadAllText(path).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }
}
