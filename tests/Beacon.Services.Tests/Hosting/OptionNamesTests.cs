using Beacon.Hosting.Options;

namespace Beacon.Services.Tests.Hosting;

public sealed class OptionNamesTests
{
    [Theory]
    [InlineData("HeartbeatInterval", "heartbeat-interval")]
    [InlineData("NodeName", "node-name")]
    [InlineData("LoadBalancerClass", "load-balancer-class")]
    [InlineData("HTTPPort", "http-port")]
    [InlineData("Ipv6Pool", "ipv6-pool")]
    [InlineData("Mode", "mode")]
    public void Kebab_case_splits_words_and_acronyms(string pascal, string kebab)
    {
        OptionNames.Kebab(pascal).Should().Be(kebab);
    }

    [Theory]
    [InlineData("--http-port")]
    [InlineData("Http:Port")]
    [InlineData("HTTP_PORT")]
    [InlineData("Http__Port")]
    public void Every_spelling_normalizes_alike(string spelling)
    {
        OptionNames.Normalize(spelling.TrimStart('-')).Should().Be("httpport");
    }
}
