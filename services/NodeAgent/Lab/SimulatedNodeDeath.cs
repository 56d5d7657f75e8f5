using System.Diagnostics;
using Beacon.Networking.Netlink;
using Beacon.NodeAgent.Kernel;

namespace Beacon.NodeAgent.Lab;

/// <summary>
/// Node death as a power cut looks: the LAN interface goes down (data path and the Announcer's L2/BGP die with it) and
/// the agent is SIGKILLed, so it neither withdraws its addresses nor says it is leaving — peers must detect the silence.
/// </summary>
public sealed class SimulatedNodeDeath(string interfaceOption) : INodeDeath
{
    public Task DieAsync(string reason)
    {
        var name = interfaceOption == "default" ? LinkReader.DefaultRouteInterface() : interfaceOption;
        try
        {
            if (name is not null)
            {
                using var netlink = RouteNetlinkClient.Open();
                netlink.SetLinkUp(name, up: false);
            }
        }
        catch (Exception e)
        {
            // Still die: a silent agent is the part of the failure peers react to.
            Console.Error.WriteLine($"lab fail-node: could not set {name} down: {e.Message}");
        }

        Console.Error.WriteLine($"lab fail-node: simulating node death ({reason}); link {name ?? "?"} down, killing the agent");
        using var self = Process.GetCurrentProcess();
        self.Kill();
        return Task.Delay(Timeout.Infinite);
    }
}
