using System.Text;

namespace Beacon.Hosting.Http;

/// <summary>
/// The head of an HTTP/1.x request ("GET /readyz?x=1 HTTP/1.1"): its method, its path without the query, and whether
/// an Accept header asks for OpenMetrics (what Prometheus sends); every other header is ignored.
/// </summary>
public sealed record HttpRequestHead(string Method, string Path, bool AcceptsOpenMetrics = false)
{
    /// <summary>Requests with a longer head are refused: probes and scrapers send a few hundred bytes.</summary>
    public const int MaxLength = 8192;

    /// <summary>The end of the head ("\r\n\r\n") in what was read so far, or -1 while it has not arrived.</summary>
    public static int EndOf(ReadOnlySpan<byte> received)
    {
        var end = received.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    /// <summary>Parses the request line; null with the reason for anything that is not an HTTP/1.x request line.</summary>
    public static HttpRequestHead? TryParse(ReadOnlySpan<byte> head, out string problem)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = lineEnd < 0 ? head : head[..lineEnd];
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        {
            problem = "the request line is not 'METHOD PATH HTTP/1.x'";
            return null;
        }

        var version = line[(lastSpace + 1)..];
        if (!version.SequenceEqual("HTTP/1.1"u8) && !version.SequenceEqual("HTTP/1.0"u8))
        {
            problem = "only HTTP/1.0 and HTTP/1.1 are served";
            return null;
        }

        var target = line[(firstSpace + 1)..lastSpace];
        if (target[0] != (byte)'/' || target.IndexOfAnyExceptInRange((byte)'!', (byte)'~') >= 0)
        {
            problem = "the request target is not an origin-form path";
            return null;
        }

        var query = target.IndexOf((byte)'?');
        problem = "";
        return new HttpRequestHead(
            Encoding.ASCII.GetString(line[..firstSpace]),
            Encoding.ASCII.GetString(query < 0 ? target : target[..query]),
            lineEnd >= 0 && AcceptsOpenMetricsIn(Encoding.ASCII.GetString(head[(lineEnd + 2)..])));
    }

    /// <summary>As prometheus-net's middleware decided: OpenMetrics when any Accept value has that media type.</summary>
    private static bool AcceptsOpenMetricsIn(string headers) =>
        headers.Split("\r\n")
            .Where(h => h.StartsWith("Accept:", StringComparison.OrdinalIgnoreCase))
            .SelectMany(h => h["Accept:".Length..].Split(','))
            .Any(value => value.Split(';')[0].Trim().Equals("application/openmetrics-text", StringComparison.OrdinalIgnoreCase));
}
