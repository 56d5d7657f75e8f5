using System.Security.Cryptography.X509Certificates;

namespace Beacon.Kube.Config;

/// <summary>Everything needed to reach and authenticate to an API server.</summary>
public sealed record KubeConnection
{
    public required Uri Server { get; init; }

    public IBearerTokenSource? Token { get; init; }

    /// <summary>Trusted roots for the server certificate; null means the system store.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Overrides the name checked against the server certificate (kubeconfig tls-server-name).</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Namespace from the kubeconfig context or the service account, when known.</summary>
    public string? DefaultNamespace { get; init; }

    /// <summary>Loads from $KUBECONFIG or ~/.kube/config when present, otherwise the in-cluster service account.</summary>
    public static KubeConnection FromEnvironment()
    {
        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            return KubeconfigLoader.Load(kubeconfig.Split(Path.PathSeparator)[0]);
        }

        if (InClusterConfig.IsAvailable())
        {
            return InClusterConfig.Load();
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var defaultPath = Path.Combine(home, ".kube", "config");
        if (File.Exists(defaultPath))
        {
            return KubeconfigLoader.Load(defaultPath);
        }

        throw new KubeConfigException(
            "No Kubernetes configuration found: KUBECONFIG is unset, not running in a pod (KUBERNETES_SERVICE_HOST unset), and ~/.kube/config does not exist.");
    }
}
