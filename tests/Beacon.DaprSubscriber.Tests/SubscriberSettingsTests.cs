namespace Beacon.DaprSubscriber.Tests;

public sealed class SubscriberSettingsTests
{
    [Fact]
    public void The_defaults_subscribe_every_allocation_of_the_beacon_component() =>
        new SubscriberSettings().Problems().Should().BeEmpty();

    [Theory]
    [InlineData("", "beacon.v1.allocations.>", "PubSubName is empty")]
    [InlineData("beacon", "", "is not a NATS subject")]
    [InlineData("beacon", "beacon.v1.allocations. shop", "is not a NATS subject")]
    public void Unusable_settings_are_named_with_what_to_fix(string pubSub, string topic, string problem) =>
        new SubscriberSettings { PubSubName = pubSub, Topic = topic }.Problems().Should().ContainSingle().Which.Should().Contain(problem);
}
