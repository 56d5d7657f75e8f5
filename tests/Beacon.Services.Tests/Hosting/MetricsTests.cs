using Beacon.Hosting.Metrics;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Services.Tests.Hosting;

public sealed class MetricsTests
{
    [Fact]
    public void Families_are_written_with_help_type_and_samples_in_registration_order()
    {
        var registry = new MetricsRegistry();
        registry.Counter("beacon_events_total", "Events handled.").Inc(3);
        registry.Gauge("beacon_peers", "Peers alive.").Set(2);

        registry.ToPrometheusText().Should().Be(
            "# HELP beacon_events_total Events handled.\n" +
            "# TYPE beacon_events_total counter\n" +
            "beacon_events_total 3\n" +
            "# HELP beacon_peers Peers alive.\n" +
            "# TYPE beacon_peers gauge\n" +
            "beacon_peers 2\n");
    }

    [Fact]
    public void Labels_and_help_are_escaped_as_the_format_requires()
    {
        var registry = new MetricsRegistry();
        registry.Counter("beacon_errors_total", "Errors by reason.\nSee docs\\errors.", "reason")
            .WithLabels("bad \"quote\"\nand \\slash").Inc();

        registry.ToPrometheusText().Should().Be(
            "# HELP beacon_errors_total Errors by reason.\\nSee docs\\\\errors.\n" +
            "# TYPE beacon_errors_total counter\n" +
            "beacon_errors_total{reason=\"bad \\\"quote\\\"\\nand \\\\slash\"} 1\n");
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_with_inf_sum_and_count()
    {
        var registry = new MetricsRegistry();
        var latency = registry.Histogram("beacon_failover_seconds", "Failover time.", [0.1, 0.5, 1], "mode");
        var l2 = latency.WithLabels("l2");
        foreach (var v in new[] { 0.05, 0.1, 0.3, 0.7, 4 })
            l2.Observe(v);

        registry.ToPrometheusText().Should().Be(
            "# HELP beacon_failover_seconds Failover time.\n" +
            "# TYPE beacon_failover_seconds histogram\n" +
            "beacon_failover_seconds_bucket{mode=\"l2\",le=\"0.1\"} 2\n" +
            "beacon_failover_seconds_bucket{mode=\"l2\",le=\"0.5\"} 3\n" +
            "beacon_failover_seconds_bucket{mode=\"l2\",le=\"1\"} 4\n" +
            "beacon_failover_seconds_bucket{mode=\"l2\",le=\"+Inf\"} 5\n" +
            "beacon_failover_seconds_sum 5.15\n".Replace("_sum ", "_sum{mode=\"l2\"} ", StringComparison.Ordinal) +
            "beacon_failover_seconds_count{mode=\"l2\"} 5\n");
    }

    [Fact]
    public void Special_values_use_the_format_spelling()
    {
        PrometheusText.FormatValue(double.PositiveInfinity).Should().Be("+Inf");
        PrometheusText.FormatValue(double.NegativeInfinity).Should().Be("-Inf");
        PrometheusText.FormatValue(double.NaN).Should().Be("NaN");
        PrometheusText.FormatValue(1e-7).Should().Be("1E-07");
        PrometheusText.FormatValue(0.1 + 0.2).Should().Be("0.30000000000000004");
    }

    [Property]
    public Property Any_label_value_and_help_text_round_trips_through_the_format()
    {
        var texts = ArbMap.Default.ArbFor<NonNull<string>>();
        return Prop.ForAll(texts, texts, Gen.Choose(0, 1_000_000).ToArbitrary(), (help, label, count) =>
        {
            var registry = new MetricsRegistry();
            registry.Counter("beacon_x_total", help.Get, "key").WithLabels(label.Get).Inc(count);

            var family = ExpositionParser.Parse(registry.ToPrometheusText()).Single();
            family.Help.Should().Be(help.Get);
            family.Type.Should().Be("counter");
            var sample = family.Samples.Single();
            sample.Labels["key"].Should().Be(label.Get);
            sample.Value.Should().Be(count);
        });
    }

    [Property]
    public Property Histogram_bucket_counts_never_decrease_and_end_at_the_count()
    {
        var observations = Gen.Choose(-1000, 100_000).Select(n => n / 1000.0).ArrayOf();
        return Prop.ForAll(observations.ToArbitrary(), values =>
        {
            var registry = new MetricsRegistry();
            var histogram = registry.Histogram("beacon_h", "h");
            foreach (var v in values)
                histogram.Observe(v);

            var samples = ExpositionParser.Parse(registry.ToPrometheusText()).Single().Samples;
            var buckets = samples.Where(s => s.Name == "beacon_h_bucket").Select(s => s.Value).ToList();
            buckets.Should().BeInAscendingOrder();
            buckets[^1].Should().Be(values.Length);
            samples.Single(s => s.Name == "beacon_h_count").Value.Should().Be(values.Length);
            samples.Single(s => s.Name == "beacon_h_sum").Value.Should().BeApproximately(values.Sum(), 1e-6);
            foreach (var bucket in samples.Where(s => s.Name == "beacon_h_bucket" && s.Labels["le"] != "+Inf"))
                bucket.Value.Should().Be(values.Count(v => v <= double.Parse(bucket.Labels["le"], System.Globalization.CultureInfo.InvariantCulture)));
        });
    }

    [Fact]
    public void Concurrent_updates_are_not_lost()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Counter("beacon_c_total", "c", "worker");
        var gauge = registry.Gauge("beacon_g", "g");
        var histogram = registry.Histogram("beacon_h", "h");

        Parallel.For(0, 8, worker =>
        {
            var child = counter.WithLabels("shared");
            for (var i = 0; i < 10_000; i++)
            {
                child.Inc();
                gauge.Inc();
                histogram.Observe(0.01);
            }
        });

        counter.WithLabels("shared").Value.Should().Be(80_000);
        gauge.Value.Should().Be(80_000);
        registry.ToPrometheusText().Should().Contain("beacon_h_count 80000\n");
    }

    [Fact]
    public void Registering_again_returns_the_same_metric_but_a_clash_throws()
    {
        var registry = new MetricsRegistry();
        var first = registry.Counter("beacon_a_total", "a", "x");

        registry.Counter("beacon_a_total", "a", "x").Should().BeSameAs(first);
        FluentActions.Invoking(() => registry.Gauge("beacon_a_total", "a", "x")).Should().Throw<InvalidOperationException>().WithMessage("*beacon_a_total*");
        FluentActions.Invoking(() => registry.Counter("beacon_a_total", "a", "y")).Should().Throw<InvalidOperationException>();
    }

    [Theory]
    [InlineData("1starts_with_digit")]
    [InlineData("has-dash")]
    [InlineData("")]
    [InlineData("spa ce")]
    public void Invalid_metric_names_are_refused_at_registration(string name)
    {
        FluentActions.Invoking(() => new MetricsRegistry().Gauge(name, "h")).Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("__reserved")]
    [InlineData("has:colon")]
    [InlineData("9digit")]
    public void Invalid_label_names_are_refused_at_registration(string label)
    {
        FluentActions.Invoking(() => new MetricsRegistry().Gauge("beacon_g", "h", label)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Histograms_refuse_le_as_a_label_and_unsorted_buckets()
    {
        var registry = new MetricsRegistry();
        FluentActions.Invoking(() => registry.Histogram("beacon_h1", "h", null, "le")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => registry.Histogram("beacon_h2", "h", [1, 0.5])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Counters_refuse_to_go_down_and_label_counts_must_match()
    {
        var registry = new MetricsRegistry();
        var counter = registry.Counter("beacon_c_total", "c", "a", "b");

        FluentActions.Invoking(() => counter.WithLabels("only-one")).Should().Throw<ArgumentException>().WithMessage("*[a, b]*");
        FluentActions.Invoking(() => counter.WithLabels("1", "2").Inc(-1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => counter.Inc()).Should().Throw<InvalidOperationException>().WithMessage("*WithLabels*");
    }

    [Fact]
    public void Labeled_children_are_written_in_a_stable_order_and_can_be_removed()
    {
        var registry = new MetricsRegistry();
        var owned = registry.Gauge("beacon_owned", "Owned addresses.", "service");
        owned.WithLabels("b/web").Set(1);
        owned.WithLabels("a/dns").Set(2);

        registry.ToPrometheusText().Should().EndWith("beacon_owned{service=\"a/dns\"} 2\nbeacon_owned{service=\"b/web\"} 1\n");

        owned.RemoveLabels("a/dns").Should().BeTrue();
        registry.ToPrometheusText().Should().NotContain("a/dns");
    }

    [Fact]
    public void Process_metrics_are_refreshed_at_each_scrape()
    {
        var registry = new MetricsRegistry();
        ProcessMetrics.Register(registry, new Beacon.Hosting.ServiceIdentity("beacon-test", "t", 1));

        var families = ExpositionParser.Parse(registry.ToPrometheusText());

        families.Select(f => f.Name).Should().Contain(["process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
            "process_start_time_seconds", "process_uptime_seconds", "dotnet_gc_heap_size_bytes", "dotnet_gc_collections_total"]);
        families.Single(f => f.Name == "process_resident_memory_bytes").Samples.Single().Value.Should().BeGreaterThan(1_000_000);
        families.Single(f => f.Name == "process_open_fds").Samples.Single().Value.Should().BeGreaterThan(2);
        var firstUptime = families.Single(f => f.Name == "process_uptime_seconds").Samples.Single().Value;
        var later = ExpositionParser.Parse(registry.ToPrometheusText()).Single(f => f.Name == "process_uptime_seconds").Samples.Single().Value;
        later.Should().BeGreaterThan(firstUptime);
    }
}
