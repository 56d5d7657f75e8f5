using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Beacon.Allocator.Kubernetes;

/// <summary>
/// Reads kube-proxy's configuration (the <c>config.conf</c> key of ConfigMap <c>kube-system/kube-proxy</c>, a
/// <c>KubeProxyConfiguration</c> as kubeadm writes it) and says whether IPVS runs without <c>ipvs.strictARP</c>: then
/// every node answers ARP for every LoadBalancer address on <c>kube-ipvs0</c>, and layer-2 ownership means nothing.
/// Pure; malformed YAML is a finding of its own, never an exception.
/// </summary>
public static class KubeProxyStrictArp
{
    public const string ConfigMapNamespace = "kube-system";
    public const string ConfigMapName = "kube-proxy";
    public const string ConfigKey = "config.conf";

    /// <summary>The Event reason on the ConfigMap when strictARP is off under IPVS.</summary>
    public const string Reason = "StrictARPDisabled";

    /// <summary>The fix MetalLB documents and every seed applies by hand.</summary>
    public const string Fix =
        "kubectl get configmap kube-proxy -n kube-system -o yaml | sed -e \"s/strictARP: false/strictARP: true/\" | kubectl apply -f - -n kube-system";

    /// <summary>
    /// Null when layer 2 is safe as far as kube-proxy is concerned (mode iptables/nftables/empty, or IPVS with
    /// strictARP); otherwise the message of the Warning Event, naming the fix.
    /// </summary>
    public static string? Problem(string? configConf)
    {
        if (string.IsNullOrWhiteSpace(configConf))
        {
            return null;
        }

        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(configConf));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return null;
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            return $"cannot tell whether kube-proxy's IPVS mode has strictARP: {ConfigMapNamespace}/{ConfigMapName} {ConfigKey} is not YAML " +
                   $"(line {e.Start.Line}: {e.Message})";
        }

        var mode = Scalar(root, "mode");
        if (!string.Equals(mode, "ipvs", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var strict = root.Children.TryGetValue(new YamlScalarNode("ipvs"), out var ipvs) && ipvs is YamlMappingNode settings
            ? Scalar(settings, "strictARP")
            : null;
        if (string.Equals(strict, "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return $"kube-proxy runs in IPVS mode with strictARP {(strict is null ? "unset" : strict)}: every node answers ARP for layer-2 LoadBalancer addresses " +
               $"(kube-ipvs0), so clients reach whichever node answered last. Fix: {Fix}; then kubectl rollout restart ds kube-proxy -n kube-system";
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;
}
