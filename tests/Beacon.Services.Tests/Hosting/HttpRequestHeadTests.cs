using System.Text;
using Beacon.Hosting.Http;

namespace Beacon.Services.Tests.Hosting;

/// <summary>The probe server's request line parsing: what it serves and the reason it gives for anything else.</summary>
public sealed class HttpRequestHeadTests
{
    [Theory]
    [InlineData("GET /readyz HTTP/1.1\r\nHost: 10.0.0.1:9471\r\nUser-Agent: kube-probe/1.31\r\n\r\n", "GET", "/readyz")]
    [InlineData("GET /metrics?name[]=x HTTP/1.0\r\n\r\n", "GET", "/metrics")]
    [InlineData("POST /healthz HTTP/1.1\r\n\r\n", "POST", "/healthz")]
    public void A_request_line_gives_its_method_and_path_without_the_query(string head, string method, string path)
    {
        var parsed = HttpRequestHead.TryParse(Encoding.ASCII.GetBytes(head), out var problem);

        parsed.Should().Be(new HttpRequestHead(method, path), problem);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n", "not 'METHOD PATH HTTP/1.x'")]
    [InlineData("GET  HTTP/1.1\r\n\r\n", "not 'METHOD PATH HTTP/1.x'")]
    [InlineData("GET /readyz HTTP/2.0\r\n\r\n", "only HTTP/1.0 and HTTP/1.1")]
    [InlineData("GET http://x/readyz HTTP/1.1\r\n\r\n", "not an origin-form path")]
    [InlineData("GET /ready\u0001z HTTP/1.1\r\n\r\n", "not an origin-form path")]
    public void Anything_else_is_refused_with_the_reason(string head, string reason)
    {
        HttpRequestHead.TryParse(Encoding.ASCII.GetBytes(head), out var problem).Should().BeNull();
        problem.Should().Contain(reason);
    }

    [Theory]
    [InlineData("Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1", true)]
    [InlineData("accept: text/plain, Application/OpenMetrics-Text; version=0.0.1", true)]
    [InlineData("Accept: text/plain;version=0.0.4", false)]
    [InlineData("X-Accept: application/openmetrics-text", false)]
    public void OpenMetrics_is_chosen_when_an_Accept_value_has_its_media_type(string header, bool openMetrics)
    {
        var parsed = HttpRequestHead.TryParse(Encoding.ASCII.GetBytes($"GET /metrics HTTP/1.1\r\nHost: x\r\n{header}\r\n\r\n"), out _);

        parsed!.AcceptsOpenMetrics.Should().Be(openMetrics);
    }

    [Fact]
    public void The_head_ends_at_the_first_empty_line()
    {
        HttpRequestHead.EndOf("GET / HTTP/1.1\r\nHost: x\r\n"u8).Should().Be(-1);
        HttpRequestHead.EndOf("GET / HTTP/1.1\r\n\r\nbody"u8).Should().Be(18);
    }
}
