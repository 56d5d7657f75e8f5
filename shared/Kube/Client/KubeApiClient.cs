using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Beacon.Kube.Config;
using Beacon.Kube.Json;
using Beacon.Kube.Models;

namespace Beacon.Kube.Client;

/// <summary>
/// HTTP transport to the API server: authentication, client-side rate limit, timeouts, and mapping error responses
/// to typed exceptions. Use <see cref="For{T}"/> for typed per-resource operations.
/// </summary>
public sealed class KubeApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly KubeConnection _connection;
    private readonly TokenBucket _rateLimiter;
    private long _requestsSent;

    public KubeApiClient(KubeConnection connection, KubeClientOptions? options = null, TimeProvider? time = null)
        : this(connection, KubeHttpHandlerFactory.Create(connection), options, time)
    {
    }

    /// <summary>With an explicit handler (tests, custom transports). The client owns and disposes the handler.</summary>
    public KubeApiClient(KubeConnection connection, HttpMessageHandler handler, KubeClientOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Options = options ?? new KubeClientOptions();
        Options.ThrowIfInvalid();
        _connection = connection;
        Time = time ?? TimeProvider.System;
        _rateLimiter = new TokenBucket(Options.Qps, Options.Burst, Time);
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = connection.Server,
            // Watches stream indefinitely; ordinary requests get a per-request timeout instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd(Options.UserAgent);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public KubeClientOptions Options { get; }

    public TimeProvider Time { get; }

    public string? DefaultNamespace => _connection.DefaultNamespace;

    public ResourceClient<T> For<T>(KubeResource<T> resource)
        where T : KubeObject => new(this, resource);

    public void Dispose() => _http.Dispose();

    /// <summary>Requests sent (including retries after 429), for "API requests per ..." measurements.</summary>
    public long RequestsSent => Interlocked.Read(ref _requestsSent);

    internal async Task<TResult> SendAsync<TResult>(HttpMethod method, string pathAndQuery, RequestBody? content,
        JsonTypeInfo<TResult> resultType, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        try
        {
            using var response = await SendRawAsync(method, pathAndQuery, content, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, resultType, timeout.Token).ConfigureAwait(false)
                ?? throw new KubeApiException($"{method} {pathAndQuery}: the server returned an empty body.");
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(method, pathAndQuery, ex);
        }
    }

    internal async Task SendWithoutResultAsync(HttpMethod method, string pathAndQuery, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        try
        {
            using var response = await SendRawAsync(method, pathAndQuery, null, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(method, pathAndQuery, ex);
        }
    }

    private KubeApiException TimedOut(HttpMethod method, string pathAndQuery, OperationCanceledException cause) =>
        new(HttpStatusCode.RequestTimeout, null, $"{method} {pathAndQuery}: no answer within {Options.RequestTimeout.TotalSeconds:0.###} s (KubeClientOptions.RequestTimeout).", cause);

    /// <summary>Opens a watch stream and yields its events; ERROR events become exceptions (410 → <see cref="KubeGoneException"/>).</summary>
    internal async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string pathAndQuery, JsonTypeInfo<T> typeInfo,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : KubeObject
    {
        using var response = await SendRawAsync(HttpMethod.Get, pathAndQuery, null, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            yield return WatchLineParser.Parse(line, typeInfo, pathAndQuery);
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string pathAndQuery, RequestBody? content,
        HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await _rateLimiter.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(method, pathAndQuery) { Content = content?.ToHttpContent() };
            if (_connection.Token?.GetToken() is { Length: > 0 } token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            Interlocked.Increment(ref _requestsSent);
            var response = await _http.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                // 429 means the server shed the request before acting on it, so any verb may be retried.
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt <= Options.MaxThrottleRetries)
                {
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    await Task.Delay(wait > Options.MaxThrottleWait ? Options.MaxThrottleWait : wait, Time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var status = await TryReadStatusAsync(response, cancellationToken).ConfigureAwait(false);
                throw KubeApiException.From(response.StatusCode, status, $"{method} {pathAndQuery}");
            }
        }
    }

    private static async Task<Status?> TryReadStatusAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length == 0)
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize(body, KubeJsonContext.Default.Status);
            }
            catch (JsonException)
            {
                // Proxies answer with HTML or plain text; keep it as the message.
                return new Status { Code = (int)response.StatusCode, Message = body.Length > 500 ? body[..500] : body };
            }
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    internal static RequestBody JsonContent<T>(T value, JsonTypeInfo<T> typeInfo, string mediaType = "application/json") =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), mediaType);

    internal static RequestBody RawJsonContent(string json, string mediaType) => new(Encoding.UTF8.GetBytes(json), mediaType);

}
