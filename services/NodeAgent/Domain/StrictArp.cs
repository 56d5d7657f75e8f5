namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Whether kube-proxy's IPVS mode undermines layer 2 on this node. IPVS puts every Service address (LoadBalancer ones
/// included) on the <c>kube-ipvs0</c> dummy link; with Linux's default ARP settings every node then answers ARP for
/// them, so the client's neighbour entry follows whichever node answered last rather than the elected owner.
/// kube-proxy's <c>ipvs.strictARP: true</c> sets <c>net.ipv4.conf.all.arp_ignore=1</c> (answer only for addresses on
/// the asking interface) and <c>arp_announce=2</c> (best local source), which stops that. Pure.
/// </summary>
public static class StrictArp
{
    /// <summary>The link kube-proxy's IPVS mode creates on every node.</summary>
    public const string IpvsLink = "kube-ipvs0";

    /// <summary>The fix MetalLB documents, which every seed applies by hand.</summary>
    public const string Fix =
        "kubectl get configmap kube-proxy -n kube-system -o yaml | sed -e \"s/strictARP: false/strictARP: true/\" | kubectl apply -f - -n kube-system";

    /// <summary>
    /// Null when layer 2 is safe on this node; otherwise what is wrong and how to fix it. The kernel applies the larger
    /// of the <c>all</c> and the per-interface value of both settings, so either may carry them.
    /// </summary>
    public static string? Problem(ArpSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.IpvsLinkPresent)
        {
            return null;
        }

        var ignore = Math.Max(settings.AllArpIgnore, settings.InterfaceArpIgnore);
        var announce = Math.Max(settings.AllArpAnnounce, settings.InterfaceArpAnnounce);
        if (ignore >= 1 && announce >= 2)
        {
            return null;
        }

        return $"kube-proxy runs in IPVS mode ({IpvsLink} exists) without strictARP: arp_ignore={ignore} (needs 1), arp_announce={announce} (needs 2), " +
               $"so every node answers ARP for layer-2 addresses; fix: {Fix}, then restart kube-proxy (kubectl rollout restart ds kube-proxy -n kube-system)";
    }
}
