using System.Net;
using Beacon.Contracts;

namespace Beacon.Allocator.Queries;

/// <summary>Answers <see cref="Subjects.QueryExplain"/>: why a Service has (no) address and (no) announcing node, in plain words. Pure.</summary>
internal static class ExplainReportBuilder
{
    public static ExplainQueryReply Build(AllocatorView view, ServiceKey key)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(key);
        var service = view.Services.FirstOrDefault(s => (s.Metadata.Namespace ?? "default") == key.Namespace && s.Metadata.Name == key.Name);
        if (service is null)
        {
            return new ExplainQueryReply(key, false, false, null, [], "NotFound", null, [],
                [$"There is no Service {key}: the Allocator does not see it (check the namespace and name, or the manifest directory)."]);
        }

        var facts = ServiceFacts.Of(service, view.Classes);
        var announcers = view.Announcers(service.Key);
        var lines = new List<string>();
        if (!facts.Managed)
        {
            lines.Add(Unmanaged(service, view));
            return new ExplainQueryReply(key, true, false, facts.Group, facts.Addresses, "NotManaged", null, announcers, lines);
        }

        var group = facts.Group is null ? "the default ServiceGroup" : $"ServiceGroup {facts.Group}";
        switch (facts.State)
        {
            case ServiceFacts.NotReconciled:
                lines.Add($"It asks for an address from {group}, but the Allocator has not reconciled it yet (it was just created, or the Allocator is catching up).");
                break;
            case "Allocated":
                lines.Add($"It has {List(facts.Addresses)} from {group}.");
                break;
            default:
                lines.Add(facts.Addresses.Count == 0
                    ? $"It has no address ({facts.State}): {facts.Message}"
                    : $"It keeps {List(facts.Addresses)} but its request is not satisfied ({facts.State}): {facts.Message}");
                break;
        }

        if (facts.Addresses.Count > 0)
        {
            lines.AddRange(announcers.Count > 0
                ? [$"Announced by {string.Join(", ", announcers)}."]
                : WhyNotAnnounced(view, service.Key, string.Equals(service.Spec.ExternalTrafficPolicy, "Local", StringComparison.Ordinal), facts.Addresses));
        }

        return new ExplainQueryReply(key, true, true, facts.Group, facts.Addresses, facts.State, facts.Message, announcers, lines);
    }

    private static string Unmanaged(Kube.Models.Service service, AllocatorView view)
    {
        if (!string.Equals(service.Spec.Type, "LoadBalancer", StringComparison.Ordinal))
        {
            return $"It is of type {service.Spec.Type ?? "ClusterIP"}, not LoadBalancer: Beacon only assigns addresses to LoadBalancer Services.";
        }

        return string.IsNullOrEmpty(service.Spec.LoadBalancerClass)
            ? "It sets no loadBalancerClass and this Allocator does not serve unclassed Services (--serve-unclassed false)."
            : $"Its loadBalancerClass '{service.Spec.LoadBalancerClass}' is not served by this Allocator ({view.Classes.OwnClass} and its compatible classes): another load balancer implementation owns it.";
    }

    private static IEnumerable<string> WhyNotAnnounced(AllocatorView view, string serviceKey, bool localPolicy, IReadOnlyList<string> addresses)
    {
        var live = view.LiveAgents;
        if (live.Count == 0)
        {
            yield return $"No node announces it: no node agent is alive (no heartbeat on {Subjects.AllHeartbeats} in the last {LiveAgents.MaxSilence.TotalSeconds:0} s).";
            yield break;
        }

        var candidates = live.Where(h => h.Candidate).ToList();
        if (candidates.Count == 0)
        {
            yield return "No node announces it: " + live.Count + " agent(s) are alive but none may own addresses ("
                         + string.Join(", ", live.Select(h => $"{h.Node}: link {(h.Link.Up ? "up" : "down")}")) + "; also check node labels and the node selector).";
            yield break;
        }

        if (localPolicy)
        {
            var ready = view.ReadyNodes(serviceKey);
            if (ready.Count == 0)
            {
                yield return "No node announces it: externalTrafficPolicy is Local and no node has a ready endpoint, so no node may announce it.";
                yield break;
            }

            candidates = candidates.Where(h => ready.Contains(h.Node, StringComparer.Ordinal)).ToList();
            if (candidates.Count == 0)
            {
                yield return $"No node announces it: externalTrafficPolicy is Local and the nodes with ready endpoints ({string.Join(", ", ready)}) have no live, eligible agent.";
                yield break;
            }
        }

        foreach (var address in addresses)
        {
            var local = candidates.Where(h => InSubnet(address, h.Subnets)).Select(h => h.Node).ToList();
            yield return local.Count > 0
                ? $"{address} is in the LAN subnet of {string.Join(", ", local)}: one of them should own it on its interface (layer 2)."
                : $"{address} is outside every agent's subnet: each eligible node ({string.Join(", ", candidates.Select(h => h.Node))}) should put it on its dummy interface for the routing daemon.";
        }

        yield return "Eligible agents are alive but none has reported announcing it yet; watch `beaconctl events --type io.beacon.announcement.v1` and the agents' logs.";
    }

    private static bool InSubnet(string address, IReadOnlyList<string> subnets) =>
        IPAddress.TryParse(address, out var ip)
        && subnets.Any(s => Contains(s, ip));

    /// <summary>Also accepts an interface address with host bits set ("198.18.10.11/24"), which IPNetwork.Parse rejects.</summary>
    private static bool Contains(string cidr, IPAddress ip)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr.AsSpan(0, slash), out var network) || !int.TryParse(cidr.AsSpan(slash + 1), out var length)
            || network.AddressFamily != ip.AddressFamily)
        {
            return false;
        }

        var a = network.GetAddressBytes();
        var b = ip.GetAddressBytes();
        for (var bit = 0; bit < Math.Min(length, a.Length * 8); bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    private static string List(IReadOnlyList<string> addresses) => string.Join(", ", addresses);
}
