using System.Net;
using System.Text;
using Beacon.Kube.Library;
using Beacon.KubeApiServer;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;

namespace Beacon.Kube.Tests;

/// <summary>
/// The authentication modes the Allocator gets from the official client's configuration, each driven against the test
/// API server over real HTTPS (docs/operations.md lists them and what is tested here).
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beacon-kube-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Kubeconfig_with_ca_data_and_token_reaches_an_https_server()
    {
        using var pki = new TestPki();
        var (serverCert, _, _) = pki.IssueServer();
        await using var server = await KubeApiTestServer.StartAsync(new KubeApiServerOptions { ServerCertificate = serverCert, BearerTokens = ["s3cret"] });
        var path = Write("config", Kubeconfig(server.BaseAddress, $"certificate-authority-data: {Base64(pki.AuthorityPem)}", "token: s3cret"));

        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        using var client = new Kubernetes(configuration);

        server.BaseAddress.Scheme.Should().Be("https");
        configuration.Namespace.Should().Be("team-a");
        (await client.CoreV1.ListServiceForAllNamespacesAsync()).Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Kubeconfig_client_certificate_files_authenticate_and_wrong_token_is_rejected()
    {
        using var pki = new TestPki();
        var (serverCert, _, _) = pki.IssueServer();
        var (_, clientPem, clientKey) = pki.IssueClient("beacon-allocator");
        await using var server = await KubeApiTestServer.StartAsync(new KubeApiServerOptions
        {
            ServerCertificate = serverCert,
            ClientCertificateAuthority = pki.Authority,
            BearerTokens = ["only-this"],
        });
        Write("ca.crt", pki.AuthorityPem);
        Write("client.crt", clientPem);
        Write("client.key", clientKey);

        var withCert = KubernetesClientConfiguration.BuildConfigFromConfigFile(
            Write("cert-config", Kubeconfig(server.BaseAddress, "certificate-authority: ca.crt", "client-certificate: client.crt\n    client-key: client.key")));
        using (var client = new Kubernetes(withCert))
        {
            (await client.CoreV1.ListNodeAsync()).Items.Should().BeEmpty();
        }

        var wrongToken = KubernetesClientConfiguration.BuildConfigFromConfigFile(
            Write("token-config", Kubeconfig(server.BaseAddress, "certificate-authority: ca.crt", "token: guessed")));
        using (var client = new Kubernetes(wrongToken))
        {
            var list = () => client.CoreV1.ListNodeAsync();
            (await list.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public void A_token_file_in_a_kubeconfig_is_refused_by_the_library_with_a_reason()
    {
        // KubernetesClient 21.0.8 reads tokenFile only in-cluster, not from a kubeconfig user (docs/operations.md says so).
        Write("token", "from-file\n");

        var load = () => KubernetesClientConfiguration.BuildConfigFromConfigFile(
            Write("config", Kubeconfig(new Uri("https://127.0.0.1:6443"), "insecure-skip-tls-verify: true", "tokenFile: " + Path.Combine(_directory, "token"))));

        load.Should().Throw<KubeConfigException>().WithMessage("*allocator does not have appropriate auth credentials*");
    }

    [Fact]
    public async Task An_exec_credential_plugin_supplies_the_token()
    {
        // The plugin protocol of kubectl (client.authentication.k8s.io/v1): what cloud providers' CLIs and OIDC helpers use.
        await using var server = await KubeApiTestServer.StartAsync(new KubeApiServerOptions { BearerTokens = ["from-plugin"] });
        var plugin = Write("plugin.sh", """
            printf '%s' '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}'
            """);
        var user = $"""
            exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: sh
                  args:
                  - {plugin}
                  interactiveMode: Never
            """;

        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(Write("config", Kubeconfig(server.BaseAddress, "insecure-skip-tls-verify: true", user)));
        using var client = new Kubernetes(configuration);

        (await client.CoreV1.ListNamespaceAsync()).Items.Should().BeEmpty();
        server.SetAcceptedTokens("something-else");
        var rejected = () => client.CoreV1.ListNamespaceAsync();
        (await rejected.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the token came from the plugin");
    }

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_not_trusted()
    {
        using var serverPki = new TestPki("server-ca");
        using var otherPki = new TestPki("other-ca");
        var (serverCert, _, _) = serverPki.IssueServer();
        await using var server = await KubeApiTestServer.StartAsync(new KubeApiServerOptions { ServerCertificate = serverCert });
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(
            Write("config", Kubeconfig(server.BaseAddress, $"certificate-authority-data: {Base64(otherPki.AuthorityPem)}", "token: x")));
        using var client = new Kubernetes(configuration);

        var list = () => client.CoreV1.ListServiceForAllNamespacesAsync();

        await list.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task The_test_server_writes_a_kubeconfig_that_the_library_accepts()
    {
        await using var server = await KubeApiTestServer.StartAsync(new KubeApiServerOptions { BearerTokens = ["tok"] });
        var path = Write("server-config", server.CreateKubeconfig("tok", "beacon-system"));

        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        using var client = new Kubernetes(configuration);

        configuration.Namespace.Should().Be("beacon-system");
        (await client.CoordinationV1.ListNamespacedLeaseAsync("beacon-system")).Items.Should().BeEmpty();
    }

    [Fact]
    public void Kubeconfig_selects_the_named_context_and_reports_unknown_ones_and_broken_files()
    {
        var path = Write("config", Kubeconfig(new Uri("https://127.0.0.1:6443"), "insecure-skip-tls-verify: true", "token: abc"));

        var lab = KubernetesClientConfiguration.BuildConfigFromConfigFile(path, currentContext: "lab");
        lab.SkipTlsVerify.Should().BeTrue();
        lab.AccessToken.Should().Be("abc");
        var unknown = () => KubernetesClientConfiguration.BuildConfigFromConfigFile(path, currentContext: "prod");
        unknown.Should().Throw<KubeConfigException>().WithMessage("*prod*");
        var broken = () => KubernetesClientConfiguration.BuildConfigFromConfigFile(Write("broken", "clusters: ["));
        broken.Should().Throw<Exception>();
    }

    [Fact]
    public async Task The_user_agent_names_the_replica()
    {
        await using var server = await KubeApiTestServer.StartAsync();
        using var client = KubeClients.Create(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() }, qps: 100, burst: 10, "beacon-allocator/test-1");

        await client.CoreV1.ListNamespaceAsync();

        server.Requests.CountFrom("beacon-allocator/test-1").Should().Be(1);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Kubeconfig(Uri server, string clusterAuth, string userAuth) => $"""
        apiVersion: v1
        kind: Config
        current-context: lab
        clusters:
        - name: lab-cluster
          cluster:
            server: {server.ToString().TrimEnd('/')}
            {clusterAuth}
        contexts:
        - name: lab
          context:
            cluster: lab-cluster
            user: allocator
            namespace: team-a
        users:
        - name: allocator
          user:
            {userAuth}
        """;
}
