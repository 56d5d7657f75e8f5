using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Kube.Client;
using Beacon.Kube.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Beacon.KubeApiServer;

/// <summary>
/// A Kubernetes-like API server on 127.0.0.1 for tests and benchmarks. Start with <see cref="StartAsync"/>;
/// seed and inspect objects directly through <see cref="Seed{T}"/>/<see cref="Read{T}"/>/<see cref="Store"/>,
/// inject faults through <see cref="Faults"/>, read request counts from <see cref="Requests"/>.
/// </summary>
public sealed class KubeApiTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ApiAuthenticator _authenticator;

    private KubeApiTestServer(WebApplication app, ObjectStore store, FaultInjector faults, RequestCounter requests, ApiAuthenticator authenticator, Uri baseAddress)
    {
        _app = app;
        Store = store;
        Faults = faults;
        Requests = requests;
        _authenticator = authenticator;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public ObjectStore Store { get; }

    public FaultInjector Faults { get; }

    public RequestCounter Requests { get; }

    public static async Task<KubeApiTestServer> StartAsync(KubeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeApiServerOptions();
        if (options.BookmarkInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"BookmarkInterval must be positive (got {options.BookmarkInterval}).", nameof(options));
        }

        if (options.ClientCertificateAuthority is not null && options.ServerCertificate is null)
        {
            throw new ArgumentException("Client certificates need HTTPS: set ServerCertificate too.", nameof(options));
        }

        var store = new ObjectStore(options.HistoryLimit, options.Time);
        var faults = new FaultInjector(store);
        var requests = new RequestCounter();
        var authenticator = new ApiAuthenticator(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (options.ServerCertificate is { } certificate)
                {
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = certificate;
                        if (options.ClientCertificateAuthority is not null)
                        {
                            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                            https.ClientCertificateValidation = (client, _, _) => authenticator.IsIssuedByAuthority(client);
                        }
                    });
                }
            });
        });
        var app = builder.Build();
        var handler = new ApiRequestHandler(store, faults, requests, authenticator, options);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KubeApiTestServer(app, store, faults, requests, authenticator, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>
    /// A kubeconfig pointing at this server (context "beacon-test"), for starting real processes against it.
    /// HTTPS servers are written with insecure-skip-tls-verify, since the test CA is the caller's.
    /// </summary>
    public string CreateKubeconfig(string? token = null, string @namespace = "default")
    {
        var tls = BaseAddress.Scheme == Uri.UriSchemeHttps ? "\n    insecure-skip-tls-verify: true" : string.Empty;
        // A user entry without credentials is something the official client refuses to load ("does not have appropriate
        // auth credentials"): without required tokens any token is accepted, so always write one.
        var user = $"\n    token: {token ?? "beacon-test-token"}";
        return $"""
            apiVersion: v1
            kind: Config
            current-context: beacon-test
            clusters:
            - name: beacon-test
              cluster:
                server: {BaseAddress.ToString().TrimEnd('/')}{tls}
            contexts:
            - name: beacon-test
              context:
                cluster: beacon-test
                user: beacon-test
                namespace: {@namespace}
            users:
            - name: beacon-test
              user: {user}
            """;
    }

    /// <summary>Replaces the accepted bearer tokens (e.g. to simulate token rotation).</summary>
    public void SetAcceptedTokens(params string[] tokens) => _authenticator.SetTokens(tokens);

    /// <summary>Creates an object directly (same semantics as POST, no request counted).</summary>
    public T Seed<T>(KubeResource<T> resource, T value)
        where T : KubeObject
    {
        ArgumentNullException.ThrowIfNull(resource);
        var info = Info(resource);
        var node = JsonSerializer.SerializeToNode(value, resource.TypeInfo) as JsonObject ?? throw new ArgumentException("Object did not serialize to JSON object.", nameof(value));
        var created = Store.Create(info, value.Metadata.Namespace, node);
        if (info.ResetStatusOnCreate && node["status"] is JsonNode status)
        {
            // Seeding is for test setup: keep the status the test asked for.
            created = Store.Patch(info, value.Metadata.Namespace, value.Metadata.Name!, new JsonObject { ["status"] = status.DeepClone() }, statusOnly: true);
        }

        return created.Deserialize(resource.TypeInfo)!;
    }

    /// <summary>Reads an object directly; null when absent.</summary>
    public T? Read<T>(KubeResource<T> resource, string? @namespace, string name)
        where T : KubeObject =>
        Store.TryGet(Info(resource), @namespace, name)?.Deserialize(resource.TypeInfo);

    /// <summary>All stored objects of a resource.</summary>
    public IReadOnlyList<T> ReadAll<T>(KubeResource<T> resource)
        where T : KubeObject =>
        [.. Store.All(Info(resource)).Select(item => item.Deserialize(resource.TypeInfo)!)];

    /// <summary>Retained writes of one object (or all of a resource), oldest first, as typed objects.</summary>
    public IReadOnlyList<(string Type, T Object)> History<T>(KubeResource<T> resource, string? @namespace = null, string? name = null)
        where T : KubeObject =>
        [.. Store.History(Info(resource), @namespace, name).Select(e => (e.Type, e.Object.Deserialize(resource.TypeInfo)!))];

    public static ApiResourceInfo Info<T>(KubeResource<T> resource)
        where T : KubeObject =>
        ApiResourceCatalog.Find(resource.Group, resource.Version, resource.Plural)
        ?? throw new ArgumentException($"The test server does not serve {resource}.", nameof(resource));

    public async ValueTask DisposeAsync()
    {
        Faults.DropWatches();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
