using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
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
/// seed and inspect objects directly through <see cref="Seed{T}(T)"/>/<see cref="Read{T}"/>/<see cref="Store"/>,
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

    /// <summary>
    /// Creates an object directly (same checks as POST, no request counted). Unlike POST, a status in the object is
    /// kept: seeding is test setup.
    /// </summary>
    public JsonObject Seed(ApiResourceInfo resource, JsonObject value)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(value);
        var @namespace = StoredObject.Namespace(value);
        var created = Store.Create(resource, @namespace, value);
        if (resource.ResetStatusOnCreate && value["status"] is JsonNode status)
        {
            created = Store.Patch(resource, @namespace, StoredObject.Name(created), new JsonObject { ["status"] = status.DeepClone() }, statusOnly: true);
        }

        return created;
    }

    /// <summary>Creates an object of one of the official client's models (or any class with [KubernetesEntity]).</summary>
    public T Seed<T>(T value)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(value);
        return ToTyped<T>(Seed(ResourceOf<T>(), ToJson(value)));
    }

    /// <summary>Reads an object directly; null when absent.</summary>
    public T? Read<T>(string? @namespace, string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        Store.TryGet(ResourceOf<T>(), @namespace, name) is { } item ? ToTyped<T>(item) : default;

    /// <summary>All stored objects of a resource.</summary>
    public IReadOnlyList<T> ReadAll<T>()
        where T : IKubernetesObject<V1ObjectMeta> =>
        [.. Store.All(ResourceOf<T>()).Select(ToTyped<T>)];

    /// <summary>Retained writes of one object (or all of a resource), oldest first, as typed objects.</summary>
    public IReadOnlyList<(string Type, T Object)> History<T>(string? @namespace = null, string? name = null)
        where T : IKubernetesObject<V1ObjectMeta> =>
        [.. Store.History(ResourceOf<T>(), @namespace, name).Select(e => (e.Type, ToTyped<T>(e.Object)))];

    /// <summary>Serves the CustomResourceDefinitions in the YAML text (e.g. a manifest from k8s/), as kubectl apply would.</summary>
    public IReadOnlyList<ApiResourceInfo> InstallDefinitions(string yaml)
    {
        var served = new List<ApiResourceInfo>();
        foreach (var definition in ApiResourceCatalog.ParseDefinitions(yaml))
        {
            Store.Create(ApiResourceCatalog.CustomResourceDefinitions, null, definition);
            served.AddRange(CustomResourceDefinition.Resources(definition));
        }

        return served;
    }

    /// <summary>The resource a model type maps to, from its [KubernetesEntity] attribute.</summary>
    public ApiResourceInfo ResourceOf<T>()
    {
        var entity = typeof(T).GetCustomAttributes(typeof(KubernetesEntityAttribute), inherit: true).OfType<KubernetesEntityAttribute>().FirstOrDefault()
            ?? throw new ArgumentException($"{typeof(T).Name} has no [KubernetesEntity] attribute naming its group, version and kind.", nameof(T));
        var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
        return (string.IsNullOrEmpty(entity.PluralName) ? null : Store.Resources.Find(entity.Group ?? string.Empty, entity.ApiVersion, entity.PluralName))
            ?? Store.Resources.FindKind(apiVersion, entity.Kind)
            ?? throw new ArgumentException($"The test server does not serve {entity.Kind} ({apiVersion}); install its CustomResourceDefinition first.", nameof(T));
    }

    private static JsonObject ToJson<T>(T value) =>
        JsonNode.Parse(KubernetesJson.Serialize(value))?.AsObject() ?? throw new ArgumentException("The object did not serialize to a JSON object.", nameof(value));

    private static T ToTyped<T>(JsonObject item) => KubernetesJson.Deserialize<T>(item.ToJsonString());

    public async ValueTask DisposeAsync()
    {
        Faults.DropWatches();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
