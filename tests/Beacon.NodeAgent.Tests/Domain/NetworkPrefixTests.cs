using System.Net;
using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Tests.Domain;

public sealed class NetworkPrefixTests
{
    [Theory]
    [InlineData("198.18.0.11/24", "198.18.0.0/24")]
    [InlineData("198.18.0.11", "198.18.0.11/32")]
    [InlineData("fd00:beac::11/64", "fd00:beac::/64")]
    [InlineData("10.1.2.3/0", "0.0.0.0/0")]
    public void Interface_addresses_become_their_subnet(string text, string expected)
    {
        NetworkPrefix.TryParse(text, out var network).Should().BeTrue();
        network.Should().Be(IPNetwork.Parse(expected));
    }

    [Theory]
    [InlineData("")]
    [InlineData("198.18.0.1/33")]
    [InlineData("198.18.0.1/-1")]
    [InlineData("nonsense/24")]
    public void Nonsense_is_rejected(string text) => NetworkPrefix.TryParse(text, out _).Should().BeFalse();
}
