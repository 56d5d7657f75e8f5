using System.Text;
using Beacon.Kube.Client;
using Beacon.Kube.Config;
using Beacon.KubeApiServer;

namespace Beacon.Kube.Tests;

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

        var connection = KubeconfigLoader.Load(path);
        using var client = new KubeApiClient(connection);

        server.BaseAddress.Scheme.Should().Be("https");
        connection.DefaultNamespace.Should().Be("team-a");
        (await client.For(KubeResources.Services).ListAsync(null)).Items.Should().BeEmpty();
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

        var withCert = KubeconfigLoader.Load(Write("cert-config", Kubeconfig(server.BaseAddress, "certificate-authority: ca.crt", "client-certificate: client.crt\n    client-key: client.key")));
        using (var client = new KubeApiClient(withCert))
        {
            (await client.For(KubeResources.Nodes).ListAsync(null)).Items.Should().BeEmpty();
        }

        var wrongToken = KubeconfigLoader.Load(Write("token-config", Kubeconfig(server.BaseAddress, "certificate-authority: ca.crt", "token: guessed")));
        using (var client = new KubeApiClient(wrongToken))
        {
            var list = () => client.For(KubeResources.Nodes).ListAsync(null);
            await list.Should().ThrowAsync<KubeAuthorizationException>();
        }
    }

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_not_trusted()
    {
        using var serverPki = new TestPki("server-ca");
        using var otherPki = new TestPki("other-ca");
        var (serverCert, _, _) = serverPki.IssueServer();
        await using var server = await KubeApiTestServer.StartAsync(new KubeApiServerOptions { ServerCertificate = serverCert });
        var connection = KubeconfigLoader.Load(Write("config", Kubeconfig(server.BaseAddress, $"certificate-authority-data: {Base64(otherPki.AuthorityPem)}", "token: x")));
        using var client = new KubeApiClient(connection);

        var list = () => client.For(KubeResources.Services).ListAsync(null);

        await list.Should().ThrowAsync<HttpRequestException>();
    }

    [Fact]
    public async Task In_cluster_config_uses_the_service_account_and_rereads_a_rotated_token()
    {
        using var pki = new TestPki();
        var (serverCert, _, _) = pki.IssueServer();
        await using var server = await KubeApiTestServer.StartAsync(new KubeApiServerOptions { ServerCertificate = serverCert, BearerTokens = ["first-token"] });
        var account = Directory.CreateDirectory(Path.Combine(_directory, "serviceaccount")).FullName;
        File.WriteAllText(Path.Combine(account, "token"), "first-token\n");
        File.WriteAllText(Path.Combine(account, "ca.crt"), pki.AuthorityPem);
        File.WriteAllText(Path.Combine(account, "namespace"), "beacon-system");

        var connection = InClusterConfig.Load("127.0.0.1", server.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), account);
        using var client = new KubeApiClient(connection);
        var services = client.For(KubeResources.Services);
        await services.ListAsync(null);

        server.SetAcceptedTokens("rotated-second-token");
        File.WriteAllText(Path.Combine(account, "token"), "rotated-second-token");
        await services.ListAsync(null);

        connection.DefaultNamespace.Should().Be("beacon-system");
        connection.Server.Should().Be(new Uri($"https://127.0.0.1:{server.BaseAddress.Port}"));
    }

    [Fact]
    public async Task The_test_server_writes_a_kubeconfig_that_the_loader_accepts()
    {
        await using var server = await KubeApiTestServer.StartAsync(new KubeApiServerOptions { BearerTokens = ["tok"] });
        var path = Write("server-config", server.CreateKubeconfig("tok", "beacon-system"));

        var connection = KubeconfigLoader.Load(path);
        using var client = new KubeApiClient(connection);

        connection.DefaultNamespace.Should().Be("beacon-system");
        (await client.For(KubeResources.Leases).ListAsync("beacon-system")).Items.Should().BeEmpty();
    }

    [Fact]
    public void A_token_rotated_by_swapping_the_kubelet_data_symlink_is_picked_up()
    {
        // kubelet layout: token -> ..data/token, ..data -> ..<timestamp>/ ; rotation swaps ..data atomically.
        var first = Directory.CreateDirectory(Path.Combine(_directory, "..2026_01_01_first")).FullName;
        var second = Directory.CreateDirectory(Path.Combine(_directory, "..2026_01_02_second")).FullName;
        File.WriteAllText(Path.Combine(first, "token"), "first");
        File.WriteAllText(Path.Combine(second, "token"), "second-token");
        var data = Path.Combine(_directory, "..data");
        File.CreateSymbolicLink(data, first);
        File.CreateSymbolicLink(Path.Combine(_directory, "token"), Path.Combine("..data", "token"));
        var source = new FileBearerTokenSource(Path.Combine(_directory, "token"));
        source.GetToken().Should().Be("first");

        // kubelet renames a new link over ..data; re-pointing the link has the same effect on readers.
        File.Delete(data);
        File.CreateSymbolicLink(data, second);

        source.GetToken().Should().Be("second-token");
    }

    [Fact]
    public void In_cluster_config_without_the_environment_says_what_is_missing()
    {
        var missing = () => InClusterConfig.Load(null, "443", _directory);
        var badPort = () => InClusterConfig.Load("10.0.0.1", "https", _directory);
        var noToken = () => InClusterConfig.Load("10.0.0.1", "443", _directory);

        missing.Should().Throw<KubeConfigException>().WithMessage("*KUBERNETES_SERVICE_HOST*");
        badPort.Should().Throw<KubeConfigException>().WithMessage("*'https' is not a valid port*");
        noToken.Should().Throw<KubeConfigException>().WithMessage("*token*does not exist*");
    }

    [Fact]
    public void In_cluster_config_brackets_ipv6_service_hosts()
    {
        File.WriteAllText(Path.Combine(_directory, "token"), "t");
        InClusterConfig.Load("fd00::1", "443", _directory).Server.Should().Be(new Uri("https://[fd00::1]:443"));
    }

    [Fact]
    public void Exec_plugins_are_reported_as_unsupported()
    {
        var yaml = Kubeconfig(new Uri("https://127.0.0.1:6443"), "insecure-skip-tls-verify: true", "exec:\n      command: aws\n      apiVersion: client.authentication.k8s.io/v1beta1");

        var load = () => KubeconfigLoader.Parse(yaml, _directory);

        load.Should().Throw<KubeConfigException>().WithMessage("*exec plugin (aws)*not support*");
    }

    [Fact]
    public void Kubeconfig_selects_the_named_context_and_reports_unknown_ones()
    {
        var yaml = Kubeconfig(new Uri("https://127.0.0.1:6443"), "insecure-skip-tls-verify: true", "token: abc");

        KubeconfigLoader.Parse(yaml, _directory, "lab").InsecureSkipTlsVerify.Should().BeTrue();
        KubeconfigLoader.Parse(yaml, _directory, "lab").Token!.GetToken().Should().Be("abc");
        var unknown = () => KubeconfigLoader.Parse(yaml, _directory, "prod");
        unknown.Should().Throw<KubeConfigException>().WithMessage("*no context named 'prod'*");
        var broken = () => KubeconfigLoader.Parse("clusters: [", _directory);
        broken.Should().Throw<KubeConfigException>().WithMessage("*not valid YAML*");
        var missingKey = () => KubeconfigLoader.Parse(Kubeconfig(new Uri("https://127.0.0.1:6443"), "insecure-skip-tls-verify: true", "client-certificate: c.crt"), _directory);
        missingKey.Should().Throw<KubeConfigException>().WithMessage("*client-certificate*does not exist*");
    }

    [Fact]
    public void Client_options_are_validated_with_messages()
    {
        new KubeClientOptions { Qps = 0, Burst = 0 }.Validate().Should().HaveCount(2)
            .And.Contain(e => e.Contains("Qps", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("Burst", StringComparison.Ordinal));
        var create = () => new KubeApiClient(new KubeConnection { Server = new Uri("http://127.0.0.1:1") }, new KubeClientOptions { Qps = -1 });
        create.Should().Throw<ArgumentException>().WithMessage("*Qps must be a positive*");
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
