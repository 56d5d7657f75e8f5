using System.Globalization;
using System.Text;

namespace Beacon.Hosting.Http;

/// <summary>A complete response of the probe server: status, content type and body, sent with Connection: close.</summary>
public sealed record HttpResponse(int Status, string ContentType, byte[] Body)
{
    public const string PlainText = "text/plain; charset=utf-8";

    public static HttpResponse Text(int status, string body) => new(status, PlainText, Encoding.UTF8.GetBytes(body));

    /// <summary>Status line and headers; the connection closes after the body, so clients need no keep-alive.</summary>
    public byte[] Head(bool allowGetOnly = false) => Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"HTTP/1.1 {Status} {Reason(Status)}\r\nContent-Type: {ContentType}\r\nContent-Length: {Body.Length}\r\n{(allowGetOnly ? "Allow: GET\r\n" : "")}Connection: close\r\n\r\n"));

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
