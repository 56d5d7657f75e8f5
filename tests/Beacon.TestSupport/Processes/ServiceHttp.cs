using System.Globalization;
using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Processes;

/// <summary>An HTTP answer from a service's own endpoints.</summary>
public sealed record ServiceHttpResponse(int StatusCode, string ContentType, string Body);

/// <summary>
/// GETs a service's /healthz, /readyz or /metrics on 127.0.0.1 wherever it runs: directly for a service in the test's
/// network namespace, through curl run inside the namespace otherwise (its loopback is not ours).
/// </summary>
public static class ServiceHttp
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<ServiceHttpResponse> GetAsync(ServiceProcess service, string path)
    {
        ArgumentNullException.ThrowIfNull(service);
        var url = service.Url(path);
        if (service.NetworkNamespace is null)
        {
            using var response = await Client.GetAsync(url);
            return new ServiceHttpResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? string.Empty,
                await response.Content.ReadAsStringAsync());
        }
        // The status and content type follow the body on two lines of their own.
        var curl = await HostCommand.RunAsync("ip",
            ["netns", "exec", service.NetworkNamespace, "curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}\n%{content_type}", url.ToString()],
            TimeSpan.FromSeconds(20));
        curl.EnsureSuccess();
        var text = curl.StandardOutput;
        var last = text.LastIndexOf('\n');
        var beforeLast = text.LastIndexOf('\n', last - 1);
        return new ServiceHttpResponse(
            int.Parse(text[(beforeLast + 1)..last], CultureInfo.InvariantCulture),
            text[(last + 1)..],
            text[..beforeLast]);
    }
}
