using Beacon.NodeAgent.Domain;

namespace Beacon.NodeAgent.Tests.NodeConfig;

/// <summary>An LBNodeAgent's localInterface: a name, or PureLB's unanchored regular expression.</summary>
public sealed class InterfacePatternTests
{
    private static readonly string[] Host = ["lo", "veth1a2b", "enp0s8", "enp0s3", "eth0"];

    [Theory]
    [InlineData("eth0", "eth0")]
    [InlineData("enp0s.*", "enp0s3")]
    [InlineData("^enp0s8$", "enp0s8")]
    [InlineData("eth", "eth0")]
    [InlineData("^bond[0-9]+$", null)]
    [InlineData("enp0s(", null)]
    public void Resolves_a_name_or_the_first_interface_the_expression_matches(string pattern, string? expected)
    {
        InterfacePattern.Resolve(pattern, Host).Should().Be(expected);
    }
}
