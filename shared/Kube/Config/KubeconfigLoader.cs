using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Beacon.Kube.Config;

/// <summary>
/// Reads a kubeconfig: the current (or named) context's cluster and user. Supports token, tokenFile, client
/// certificate/key (data or file), certificate-authority (data or file), insecure-skip-tls-verify, tls-server-name.
/// Exec and auth-provider plugins are rejected with a clear message.
/// </summary>
public static class KubeconfigLoader
{
    public static KubeConnection Load(string path, string? contextName = null)
    {
        if (!File.Exists(path))
        {
            throw new KubeConfigException($"Kubeconfig '{path}' does not exist.");
        }

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return Parse(File.ReadAllText(path), baseDirectory, contextName, path);
    }

    /// <summary>Parses kubeconfig text; relative file references resolve against baseDirectory.</summary>
    public static KubeConnection Parse(string yaml, string baseDirectory, string? contextName = null, string origin = "kubeconfig")
    {
        var root = ReadRoot(yaml, origin);
        var selected = contextName ?? Scalar(root, "current-context")
            ?? throw new KubeConfigException($"{origin} has no current-context; pass a context name.");

        var context = FindNamed(root, "contexts", selected, "context", origin);
        var clusterName = Scalar(context, "cluster") ?? throw new KubeConfigException($"Context '{selected}' in {origin} names no cluster.");
        var userName = Scalar(context, "user");
        var cluster = FindNamed(root, "clusters", clusterName, "cluster", origin);
        var user = userName is null ? null : FindNamed(root, "users", userName, "user", origin);

        var serverText = Scalar(cluster, "server") ?? throw new KubeConfigException($"Cluster '{clusterName}' in {origin} has no server.");
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || (server.Scheme != Uri.UriSchemeHttps && server.Scheme != Uri.UriSchemeHttp))
        {
            throw new KubeConfigException($"Cluster '{clusterName}' in {origin} has server '{serverText}', which is not an http(s) URL.");
        }

        var authorityPem = DataOrFile(cluster, "certificate-authority-data", "certificate-authority", baseDirectory, $"cluster '{clusterName}'");
        return new KubeConnection
        {
            Server = server,
            CertificateAuthorities = authorityPem is null ? null : PemCertificates.LoadCollection(authorityPem, $"cluster '{clusterName}' in {origin}"),
            InsecureSkipTlsVerify = string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            TlsServerName = Scalar(cluster, "tls-server-name"),
            Token = user is null ? null : TokenOf(user, userName!, baseDirectory, origin),
            ClientCertificate = user is null ? null : ClientCertificateOf(user, userName!, baseDirectory, origin),
            DefaultNamespace = Scalar(context, "namespace"),
        };
    }

    private static IBearerTokenSource? TokenOf(YamlMappingNode user, string userName, string baseDirectory, string origin)
    {
        if (user.Children.ContainsKey(new YamlScalarNode("exec")))
        {
            var command = user.Children[new YamlScalarNode("exec")] is YamlMappingNode exec ? Scalar(exec, "command") : null;
            throw new KubeConfigException(
                $"User '{userName}' in {origin} authenticates with an exec plugin ({command ?? "unknown command"}), which Beacon does not support. " +
                "Use a service account token, a token file, or a client certificate.");
        }

        if (user.Children.ContainsKey(new YamlScalarNode("auth-provider")))
        {
            throw new KubeConfigException($"User '{userName}' in {origin} uses an auth-provider plugin, which Beacon does not support.");
        }

        if (Scalar(user, "token") is { Length: > 0 } token)
        {
            return new StaticBearerToken(token);
        }

        if (Scalar(user, "tokenFile") is { Length: > 0 } tokenFile)
        {
            return new FileBearerTokenSource(Path.Combine(baseDirectory, tokenFile));
        }

        return null;
    }

    private static X509Certificate2? ClientCertificateOf(YamlMappingNode user, string userName, string baseDirectory, string origin)
    {
        var cert = DataOrFile(user, "client-certificate-data", "client-certificate", baseDirectory, $"user '{userName}'");
        var key = DataOrFile(user, "client-key-data", "client-key", baseDirectory, $"user '{userName}'");
        if (cert is null && key is null)
        {
            return null;
        }

        if (cert is null || key is null)
        {
            throw new KubeConfigException($"User '{userName}' in {origin} has a client {(cert is null ? "key" : "certificate")} but no client {(cert is null ? "certificate" : "key")}.");
        }

        return PemCertificates.LoadClientCertificate(cert, key, $"user '{userName}' in {origin}");
    }

    private static string? DataOrFile(YamlMappingNode node, string dataKey, string fileKey, string baseDirectory, string owner)
    {
        if (Scalar(node, dataKey) is { Length: > 0 } data)
        {
            try
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(data));
            }
            catch (FormatException ex)
            {
                throw new KubeConfigException($"{dataKey} of {owner} is not valid base64.", ex);
            }
        }

        if (Scalar(node, fileKey) is { Length: > 0 } file)
        {
            var full = Path.Combine(baseDirectory, file);
            return File.Exists(full) ? File.ReadAllText(full) : throw new KubeConfigException($"{fileKey} of {owner} points to '{full}', which does not exist.");
        }

        return null;
    }

    private static YamlMappingNode ReadRoot(string yaml, string origin)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new KubeConfigException($"{origin} is not valid YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new KubeConfigException($"{origin} is empty or not a mapping.");
        }

        return root;
    }

    private static YamlMappingNode FindNamed(YamlMappingNode root, string listKey, string name, string innerKey, string origin)
    {
        if (root.Children.TryGetValue(new YamlScalarNode(listKey), out var list) && list is YamlSequenceNode sequence)
        {
            foreach (var entry in sequence.Children.OfType<YamlMappingNode>())
            {
                if (Scalar(entry, "name") == name && entry.Children.TryGetValue(new YamlScalarNode(innerKey), out var inner) && inner is YamlMappingNode mapping)
                {
                    return mapping;
                }
            }
        }

        throw new KubeConfigException($"{origin} has no {innerKey} named '{name}' in {listKey}.");
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
