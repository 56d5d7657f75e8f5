using System.Text.RegularExpressions;
using Beacon.Kube.Validation;
using FsCheck;
using FsCheck.Fluent;

namespace Beacon.Kube.Tests;

/// <summary>Names are judged exactly as the API server's regular expressions and length limits judge them.</summary>
public sealed partial class KubeNameRulesTests
{
    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    private static Arbitrary<string> Names() =>
        Gen.Elements('a', 'z', '0', '9', '-', '.', 'A', '_', ' ', '\uFFFD', '\0')
            .ListOf()
            .Select(chars => new string(chars.ToArray()))
            .ToArbitrary();

    [Fact]
    public void Every_rule_agrees_with_the_API_servers_regular_expressions()
    {
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(Names(), name =>
        {
            (KubeNameRules.Dns1035Label(name) is null).Should().Be(Dns1035().IsMatch(name), "DNS-1035 label \"{0}\"", name);
            (KubeNameRules.Dns1123Label(name) is null).Should().Be(Dns1123Label().IsMatch(name), "DNS-1123 label \"{0}\"", name);
            (KubeNameRules.Dns1123Subdomain(name) is null).Should().Be(Dns1123Subdomain().IsMatch(name), "DNS-1123 subdomain \"{0}\"", name);
        }));
    }

    [Theory]
    [InlineData("Service", "web", "apps", true)]
    [InlineData("Service", "1web", "apps", false)]
    [InlineData("Service", "web.x", "apps", false)]
    [InlineData("Service", "web", "Apps", false)]
    [InlineData("Service", "web", null, true)]
    [InlineData("Namespace", "1team", null, true)]
    [InlineData("Node", "node-1.example.com", null, true)]
    [InlineData("EndpointSlice", "web-abc12", "apps", true)]
    [InlineData("ServiceGroup", "pool.v4", "beacon-system", true)]
    [InlineData("ServiceGroup", "", "beacon-system", false)]
    public void Each_kind_uses_the_rule_the_API_server_uses(string kind, string name, string? ns, bool accepted)
    {
        (KubeNameRules.Problem(kind, name, ns) is null).Should().Be(accepted, KubeNameRules.Problem(kind, name, ns));
    }

    [Fact]
    public void Lengths_are_limited_like_the_API_server_limits_them()
    {
        KubeNameRules.Problem("Service", new string('a', 63), "apps").Should().BeNull();
        KubeNameRules.Problem("Service", new string('a', 64), "apps").Should().Contain("no more than 63 characters");
        KubeNameRules.Problem("Service", "web", new string('a', 64)).Should().Contain("namespace").And.Contain("63");
        KubeNameRules.Problem("Node", string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253], null).Should().BeNull();
        KubeNameRules.Problem("Node", new string('a', 254), null).Should().Contain("253");
    }

    [Fact]
    public void The_problem_shows_unprintable_names_escaped()
    {
        KubeNameRules.Problem("Service", "\uFFFD\uFFFD", "apps").Should().StartWith("Service name \"\\ufffd\\ufffd\": a DNS-1035 label");
    }
}
