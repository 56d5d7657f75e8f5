using Beacon.Ipam;

namespace Beacon.Ipam.Tests;

public sealed class ServiceAnnotationsTests
{
    private static AnnotationParseResult Parse(params (string Key, string Value)[] annotations) =>
        ServiceAnnotations.Parse(annotations.ToDictionary(a => a.Key, a => a.Value));

    [Fact]
    public void PureLB_annotations_are_read()
    {
        var values = Parse(("purelb.io/service-group", "virtual"), ("purelb.io/addresses", "172.30.250.80, fd00::27"), ("purelb.io/allow-shared-ip", "web")).Values!;

        values.ServiceGroup.Should().Be("virtual");
        values.Addresses.Select(a => a.ToString()).Should().Equal("172.30.250.80", "fd00::27");
        values.SharingKey.Should().Be("web");
    }

    [Theory]
    [InlineData("metallb.io/address-pool", "metallb.io/loadBalancerIPs", "metallb.io/allow-shared-ip")]
    [InlineData("metallb.universe.tf/address-pool", "metallb.universe.tf/loadBalancerIPs", "metallb.universe.tf/allow-shared-ip")]
    public void MetalLB_annotations_are_accepted_as_aliases(string pool, string ips, string share)
    {
        var values = Parse((pool, "gold"), (ips, "10.0.0.5"), (share, "k")).Values!;

        values.ServiceGroup.Should().Be("gold");
        values.Addresses.Should().ContainSingle().Which.ToString().Should().Be("10.0.0.5");
        values.SharingKey.Should().Be("k");
    }

    [Fact]
    public void Agreeing_aliases_are_fine_but_contradicting_ones_are_refused()
    {
        Parse(("purelb.io/service-group", "a"), ("metallb.io/address-pool", "a")).IsValid.Should().BeTrue();

        var result = Parse(("purelb.io/service-group", "a"), ("metallb.io/address-pool", "b"));
        result.IsValid.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.Should().Be("metallb.io/address-pool: 'b' contradicts purelb.io/service-group: 'a'");
    }

    [Theory]
    [InlineData("10.0.0.1,10.0.0.2", "gives two IPv4 addresses (10.0.0.1, 10.0.0.2)")]
    [InlineData("10.0.0.1,,fd00::1", "empty entry")]
    [InlineData("10.0.0.999", "above 255")]
    [InlineData("  ", "is empty")]
    public void Bad_address_annotations_say_what_is_wrong(string value, string message)
    {
        var result = Parse(("purelb.io/addresses", value));

        result.IsValid.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.Should().StartWith("purelb.io/addresses: ").And.Contain(message);
    }

    [Fact]
    public void Empty_sharing_key_is_refused()
    {
        Parse(("purelb.io/allow-shared-ip", "")).Errors.Should().ContainSingle().Which.Should().Be("purelb.io/allow-shared-ip: is empty");
    }
}
