using System.Net.Http.Headers;

namespace Beacon.Kube.Client;

/// <summary>A request body kept as bytes, so a throttled request can be sent again.</summary>
internal sealed record RequestBody(byte[] Bytes, string MediaType)
{
    public HttpContent ToHttpContent()
    {
        var content = new ByteArrayContent(Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
        return content;
    }
}
