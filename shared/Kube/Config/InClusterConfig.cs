using System.Security.Cryptography.X509Certificates;

namespace Beacon.Kube.Config;

/// <summary>The pod's service account: KUBERNETES_SERVICE_HOST/PORT, token (re-read on rotation), CA bundle, namespace.</summary>
public static class InClusterConfig
{
    public const string DefaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static bool IsAvailable() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));

    public static KubeConnection Load() =>
        Load(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"),
            Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"),
            DefaultServiceAccountDirectory);

    /// <summary>Explicit inputs, so tests can point at a generated service account directory.</summary>
    public static KubeConnection Load(string? host, string? port, string serviceAccountDirectory)
    {
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("In-cluster configuration needs KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT to be set.");
        }

        if (!int.TryParse(port, out var portNumber) || portNumber is < 1 or > 65535)
        {
            throw new KubeConfigException($"KUBERNETES_SERVICE_PORT '{port}' is not a valid port number.");
        }

        // IPv6 service hosts need brackets in a URI.
        var hostPart = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        var tokenPath = Path.Combine(serviceAccountDirectory, "token");
        var caPath = Path.Combine(serviceAccountDirectory, "ca.crt");
        var namespacePath = Path.Combine(serviceAccountDirectory, "namespace");

        X509Certificate2Collection? authorities = null;
        if (File.Exists(caPath))
        {
            authorities = PemCertificates.LoadCollection(File.ReadAllText(caPath), caPath);
        }

        return new KubeConnection
        {
            Server = new Uri($"https://{hostPart}:{portNumber}"),
            Token = new FileBearerTokenSource(tokenPath),
            CertificateAuthorities = authorities,
            DefaultNamespace = File.Exists(namespacePath) ? File.ReadAllText(namespacePath).Trim() : null,
        };
    }
}
