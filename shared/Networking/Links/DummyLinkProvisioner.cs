using Beacon.Networking.Netlink;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Networking.Links;

/// <summary>
/// Ensures the interface that holds non-local addresses (<c>kube-lb0</c>) exists and is up. It should be a
/// "dummy" link; kernels built without the dummy driver refuse that kind (EOPNOTSUPP, "Unknown device type"),
/// so the next kinds that behave alike for local delivery are tried: "ifb" (NOARP, carrier always on, transmits
/// nothing) then "bridge" without ports (carrier on while it has no ports on recent kernels).
/// </summary>
public static class DummyLinkProvisioner
{
    public const string DefaultName = "kube-lb0";

    /// <summary>Kinds tried in order.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["dummy", "ifb", "bridge"];

    /// <summary>Returns the existing link (whatever its kind) or creates one, then sets it up.</summary>
    public static LinkInfo Ensure(RouteNetlinkClient netlink, string name = DefaultName, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(netlink);
        logger ??= NullLogger.Instance;
        var link = netlink.GetLink(name);
        if (link is null)
        {
            NetlinkException? last = null;
            foreach (var kind in Kinds)
            {
                try
                {
                    link = netlink.CreateLink(name, kind);
                    if (kind != Kinds[0])
                    {
                        logger.LogWarning(
                            "Kernel refused a '{Preferred}' link ({Reason}); created {Name} as '{Kind}' instead",
                            Kinds[0], last?.Message, name, kind);
                    }

                    break;
                }
                catch (NetlinkException e) when (e.Errno is NetlinkException.EOpNotSupp or NetlinkException.ENoDev or NetlinkException.ENoEnt)
                {
                    last = e;
                }
                catch (NetlinkException e) when (e.Errno == NetlinkException.EExist)
                {
                    link = netlink.GetRequiredLink(name); // created concurrently
                    break;
                }
            }

            if (link is null)
            {
                throw new NetlinkException($"create {name}: no link kind of {string.Join(", ", Kinds)} is supported", last!);
            }
        }

        if (!link.IsAdministrativelyUp)
        {
            netlink.SetLinkUp(name, up: true);
            link = netlink.GetRequiredLink(name);
        }

        return link;
    }
}
