using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Beacon.KubeApiServer;

/// <summary>Maps Kubernetes API paths and verbs onto the store, and answers errors with Status objects.</summary>
internal sealed class ApiRequestHandler(ObjectStore store, FaultInjector faults, RequestCounter requests, ApiAuthenticator authenticator, KubeApiServerOptions options)
{

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            if (faults.Latency > TimeSpan.Zero)
            {
                await Task.Delay(faults.Latency, options.Time, context.RequestAborted).ConfigureAwait(false);
            }

            if (!authenticator.IsAuthenticated(context))
            {
                throw new ApiError(401, "Unauthorized", "Unauthorized");
            }

            var pathAndQuery = context.Request.Path + context.Request.QueryString;
            if (faults.TakeFailure(pathAndQuery) is int failure)
            {
                throw new ApiError(failure, failure switch { 500 => "InternalError", 429 => "TooManyRequests", _ => "InjectedFault" }, $"injected fault: {failure} for {pathAndQuery}");
            }

            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (ApiError error)
        {
            if (error.Code == 429 && !context.Response.HasStarted)
            {
                // As the real API server's priority and fairness does.
                context.Response.Headers.RetryAfter = "1";
            }

            await WriteStatusAsync(context, error).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await WriteStatusAsync(context, ApiError.BadRequest($"the request body is not valid JSON: {ex.Message}")).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or KeyNotFoundException or NullReferenceException)
        {
            // A server bug must be visible to the test that hit it, not a bare 500.
            await WriteStatusAsync(context, new ApiError(500, "InternalError", $"test server error: {ex}")).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method == "GET" && ApiDiscovery.For(request.Path.Value ?? "/", store.Resources) is { } discovery)
        {
            requests.Add("discovery", request.Path.Value ?? "/", request.Headers.UserAgent.ToString());
            await WriteJsonAsync(context, 200, discovery).ConfigureAwait(false);
            return;
        }

        var route = ApiRoute.Parse(request.Path.Value ?? "/", store.Resources);
        var query = request.Query;
        var resourceLabel = route.Subresource is null ? route.Resource.Plural : $"{route.Resource.Plural}/{route.Subresource}";
        if (route.Subresource is not null && (route.Subresource != "status" || !route.Resource.HasStatus))
        {
            throw new ApiError(404, "NotFound", $"the server could not find the requested resource ({route.Resource.Id}/{route.Subresource})");
        }

        var statusOnly = route.Subresource == "status";
        var agent = request.Headers.UserAgent.ToString();
        switch (request.Method)
        {
            case "GET" when route.Name is not null:
                requests.Add("get", resourceLabel, agent);
                await WriteJsonAsync(context, 200, store.GetShared(route.Resource, route.Namespace, route.Name)).ConfigureAwait(false);
                break;
            case "GET" when IsTrue(query["watch"]):
                requests.Add("watch", resourceLabel, agent);
                await WatchAsync(context, route).ConfigureAwait(false);
                break;
            case "GET":
                requests.Add("list", resourceLabel, agent);
                await ListAsync(context, route).ConfigureAwait(false);
                break;
            case "POST" when route.Name is null && route.Resource.Namespaced && route.Namespace is null:
                // No such route on a real server: namespaced objects are created under /namespaces/{ns}/.
                throw new ApiError(404, "NotFound", $"the server could not find the requested resource (post {route.Resource.Plural})");
            case "POST" when route.Name is null:
                requests.Add("create", resourceLabel, agent);
                await WriteJsonAsync(context, 201, store.CreateShared(route.Resource, route.Namespace, await ReadObjectAsync(context).ConfigureAwait(false), owned: true)).ConfigureAwait(false);
                break;
            case "PUT" when route.Name is not null:
                requests.Add("update", resourceLabel, agent);
                await WriteJsonAsync(context, 200, store.UpdateShared(route.Resource, route.Namespace, route.Name, await ReadObjectAsync(context).ConfigureAwait(false), statusOnly, owned: true)).ConfigureAwait(false);
                break;
            case "PATCH" when route.Name is not null:
                requests.Add("patch", resourceLabel, agent);
                var patch = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                Func<JsonObject, JsonObject> apply = PatchMediaType(request.ContentType) switch
                {
                    "application/merge-patch+json" => current => JsonMergePatch.Apply(current, patch as JsonObject ?? throw ApiError.BadRequest("a merge patch must be a JSON object")) as JsonObject
                        ?? throw ApiError.BadRequest("the patch did not produce an object"),
                    "application/json-patch+json" => current => JsonPatch.Apply(current, patch),
                    "application/strategic-merge-patch+json" when !route.Resource.Custom => current => StrategicMergePatch.Apply(current, patch),
                    var other => throw new ApiError(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json{(route.Resource.Custom ? string.Empty : ", application/strategic-merge-patch+json")} (got {other})"),
                };
                await WriteJsonAsync(context, 200, store.PatchShared(route.Resource, route.Namespace, route.Name, apply, statusOnly)).ConfigureAwait(false);
                break;
            case "DELETE" when route.Name is not null:
                requests.Add("delete", resourceLabel, agent);
                await WriteJsonAsync(context, 200, store.DeleteShared(route.Resource, route.Namespace, route.Name)).ConfigureAwait(false);
                break;
            default:
                throw new ApiError(405, "MethodNotAllowed", $"{request.Method} is not supported on {request.Path}");
        }
    }

    private async Task ListAsync(HttpContext context, ApiRoute route)
    {
        var query = context.Request.Query;
        int? limit = null;
        if (query.TryGetValue("limit", out var limitText) && !string.IsNullOrEmpty(limitText))
        {
            limit = int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw ApiError.BadRequest($"limit '{limitText}' is not a number");
        }

        var page = store.List(route.Resource, route.Namespace, Labels(query["labelSelector"]), FieldQuery.Parse(query["fieldSelector"]), limit, query["continue"]);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", route.Resource.Kind + "List");
            writer.WriteString("apiVersion", route.Resource.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", page.Version.ToString(CultureInfo.InvariantCulture));
            if (page.Continue is not null)
            {
                writer.WriteString("continue", page.Continue);
                writer.WriteNumber("remainingItemCount", page.Remaining ?? 0);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in page.Items)
            {
                item.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task WatchAsync(HttpContext context, ApiRoute route)
    {
        var query = context.Request.Query;
        var labels = Labels(query["labelSelector"]);
        var fields = FieldQuery.Parse(query["fieldSelector"]);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        WatchSubscription subscription;
        try
        {
            subscription = store.Watch(route.Resource, route.Namespace, labels, fields, query["resourceVersion"]);
        }
        catch (ApiError error) when (error.Code == 410)
        {
            // Like the real server: the stream opens and carries one ERROR event with the 410 Status.
            await WriteLineAsync(context, "ERROR", error.ToStatus()).ConfigureAwait(false);
            return;
        }

        using (subscription)
        {
            using var timeout = new CancellationTokenSource();
            if (int.TryParse(query["timeoutSeconds"], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            // The headers go out even if a fault drops the watch meanwhile, so a dropped watch is always a connection
            // reset after the 200 (what tests mean by it), never a 500 from an exception before the response started.
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, subscription.Dropped, timeout.Token);
            var bookmarks = IsTrue(query["allowWatchBookmarks"]) ? SendBookmarksAsync(subscription, stop.Token) : Task.CompletedTask;
            try
            {
                while (await subscription.Lines.WaitToReadAsync(stop.Token).ConfigureAwait(false))
                {
                    while (subscription.Lines.TryRead(out var line))
                    {
                        await WriteLineAsync(context, line, flush: false, stop.Token).ConfigureAwait(false);
                    }

                    await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (subscription.Dropped.IsCancellationRequested)
            {
                // Fault injection: a connection reset, not a clean end of stream.
                context.Abort();
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // Watch timeout: end the stream cleanly; clients resume.
            }

            await bookmarks.ConfigureAwait(false);
        }
    }

    private async Task SendBookmarksAsync(WatchSubscription subscription, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.BookmarkInterval, options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                store.Bookmark(subscription);
            }
        }
        catch (OperationCanceledException)
        {
            // Watch ended.
        }
    }

    private static async Task WriteLineAsync(HttpContext context, string type, JsonObject item, bool flush = true, CancellationToken cancellationToken = default) =>
        await WriteLineAsync(context, new WatchLine(type, item), flush, cancellationToken).ConfigureAwait(false);

    private static async Task WriteLineAsync(HttpContext context, WatchLine line, bool flush, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(line.Bytes, cancellationToken).ConfigureAwait(false);
        if (flush)
        {
            await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonNode body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body.WriteTo(writer);
        }

        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteStatusAsync(HttpContext context, ApiError error)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        await WriteJsonAsync(context, error.Code, error.ToStatus()).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context)
    {
        var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        return node as JsonObject ?? throw ApiError.BadRequest("the request body must be a JSON object");
    }

    private static LabelSelectorQuery Labels(string? text) => LabelSelectorQuery.Parse(text);

    private static string PatchMediaType(string? contentType) =>
        (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();

    private static bool IsTrue(string? value) => value is "1" or "true" or "True";
}
