using Beacon.Networking.Addresses;

namespace Beacon.Networking.Tests.Netlink;

/// <summary>How Beacon decides to mark its addresses, and the labels it uses when it cannot use IFA_PROTO.</summary>
public sealed class BeaconAddressMarkTests
{
    [Theory]
    [InlineData("6.18.44-fc-v657", AddressMarking.Protocol)]
    [InlineData("5.18.0", AddressMarking.Protocol)]
    [InlineData("5.17.15-generic", AddressMarking.Label)]
    [InlineData("4.19.0-26-amd64", AddressMarking.Label)]
    [InlineData("garbage", AddressMarking.Label)]
    [InlineData("", AddressMarking.Label)]
    public void Address_protocols_are_used_from_linux_5_18(string release, AddressMarking expected) =>
        BeaconAddressMark.DetectFromKernelRelease(release).Should().Be(expected);

    [Theory]
    [InlineData("eth0", "eth0:bcn")]
    [InlineData("kube-lb0", "kube-lb0:bcn")]
    [InlineData("enp129s0f1np1", "enp129s0f1n:bcn")]
    public void Labels_start_with_the_interface_name_and_fit_ifnamsiz(string interfaceName, string label)
    {
        BeaconAddressMark.LabelFor(interfaceName).Should().Be(label);
        BeaconAddressMark.LabelFor(interfaceName).Length.Should().BeLessThanOrEqualTo(15);
    }

    [Fact]
    public void Entering_a_namespace_that_does_not_exist_fails_with_its_name()
    {
        var act = () => NetworkNamespaceScope.Run("bcn-no-such-namespace", () => 1);
        act.Should().Throw<InvalidOperationException>().WithMessage("*bcn-no-such-namespace*");
    }
}
