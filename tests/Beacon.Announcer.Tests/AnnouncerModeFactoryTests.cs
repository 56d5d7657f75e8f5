using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Bird;
using Beacon.Announcer.Tests.Convergence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Announcer.Tests;

/// <summary>Choosing a mode by name: one registration per mode, clear errors for unknown names.</summary>
public sealed class AnnouncerModeFactoryTests
{
    [Fact]
    public void The_catalog_offers_the_routing_modes_and_builds_them_from_the_announcer_options()
    {
        var options = new AnnouncerOptions { NodeName = "node1" };
        options.Bird.IncludePath = "/tmp/beacon-test-never-written.conf";
        using var services = new ServiceCollection()
            .AddSingleton(options)
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
            .BuildServiceProvider();
        var factory = AnnouncerModeCatalog.CreateFactory();

        factory.Names.Should().Contain(["bird", "frr", "gobgp"]);
        factory.Create("BIRD", services).Should().BeOfType<BirdMode>().Which.Name.Should().Be("bird");
        factory.Create("frr", services).Name.Should().Be("frr");
        factory.Create("gobgp", services).Name.Should().Be("gobgp");
    }

    [Fact]
    public void An_unknown_mode_names_the_known_ones_and_a_name_cannot_be_registered_twice()
    {
        var factory = new AnnouncerModeFactory().Register("recording", _ => new RecordingMode());
        using var services = new ServiceCollection().BuildServiceProvider();

        factory.Invoking(f => f.Create("bgp", services)).Should().Throw<ArgumentException>().WithMessage("*'bgp'*recording*");
        factory.Invoking(f => f.Register("Recording", _ => new RecordingMode())).Should().Throw<ArgumentException>();
        factory.IsKnown("recording").Should().BeTrue();
    }
}
