using Beacon.Hosting;
using Beacon.TestSupport;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Prometheus;

namespace Beacon.Services.Tests.Hosting;

/// <summary>
/// What Beacon relies on from prometheus-net: the exposition text /metrics serves, registration rules that fail at
/// start rather than at scrape, and the process and runtime metrics every service exposes.
/// </summary>
public sealed class MetricsTests
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();

    private IMetricFactory Factory => Metrics.WithCustomRegistry(_registry);

    [Fact]
    public void Families_are_written_with_help_type_and_samples_in_registration_order()
    {
        Factory.CreateCounter("beacon_events_total", "Events handled.").Inc(3);
        Factory.CreateGauge("beacon_peers", "Peers alive.").Set(2);

        _registry.ToPrometheusText().Should().Be(
            "# HELP beacon_events_total Events handled.\n" +
            "# TYPE beacon_events_total counter\n" +
            "beacon_events_total 3\n" +
            "# HELP beacon_peers Peers alive.\n" +
            "# TYPE beacon_peers gauge\n" +
            "beacon_peers 2\n");
    }

    [Fact]
    public void Label_values_are_escaped_as_the_format_requires()
    {
        // prometheus-net writes HELP text as given, so Beacon's help texts are single-line literals without backslashes.
        Factory.CreateCounter("beacon_errors_total", "Errors by reason.", ["reason"])
            .WithLabels("bad \"quote\"\nand \\slash").Inc();

        _registry.ToPrometheusText().Should().Be(
            "# HELP beacon_errors_total Errors by reason.\n" +
            "# TYPE beacon_errors_total counter\n" +
            "beacon_errors_total{reason=\"bad \\\"quote\\\"\\nand \\\\slash\"} 1\n");
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_with_inf_sum_and_count()
    {
        var latency = Factory.CreateHistogram("beacon_failover_seconds", "Failover time.", new HistogramConfiguration { Buckets = [0.1, 0.5, 1], LabelNames = ["mode"] });
        var l2 = latency.WithLabels("l2");
        foreach (var v in new[] { 0.05, 0.1, 0.3, 0.7, 4 })
            l2.Observe(v);

        _registry.ToPrometheusText().Should().Be(
            "# HELP beacon_failover_seconds Failover time.\n" +
            "# TYPE beacon_failover_seconds histogram\n" +
            "beacon_failover_seconds_sum{mode=\"l2\"} 5.15\n" +
            "beacon_failover_seconds_count{mode=\"l2\"} 5\n" +
            "beacon_failover_seconds_bucket{mode=\"l2\",le=\"0.1\"} 2\n" +
            "beacon_failover_seconds_bucket{mode=\"l2\",le=\"0.5\"} 3\n" +
            "beacon_failover_seconds_bucket{mode=\"l2\",le=\"1\"} 4\n" +
            "beacon_failover_seconds_bucket{mode=\"l2\",le=\"+Inf\"} 5\n");
    }

    [Fact]
    public void Special_values_use_the_format_spelling()
    {
        var gauge = Factory.CreateGauge("beacon_v", "v", ["case"]);
        gauge.WithLabels("pinf").Set(double.PositiveInfinity);
        gauge.WithLabels("ninf").Set(double.NegativeInfinity);
        gauge.WithLabels("nan").Set(double.NaN);
        gauge.WithLabels("sum").Set(0.1 + 0.2);

        var samples = ExpositionParser.Parse(_registry.ToPrometheusText()).Single().Samples.ToDictionary(s => s.Labels["case"], s => s.Value);
        samples["pinf"].Should().Be(double.PositiveInfinity);
        samples["ninf"].Should().Be(double.NegativeInfinity);
        samples["nan"].Should().Be(double.NaN);
        samples["sum"].Should().Be(0.30000000000000004);
    }

    [Property]
    public Property Any_label_value_round_trips_through_the_format()
    {
        var texts = ArbMap.Default.ArbFor<NonNull<string>>();
        return Prop.ForAll(texts, Gen.Choose(0, 1_000_000).ToArbitrary(), (label, count) =>
        {
            var registry = Metrics.NewCustomRegistry();
            Metrics.WithCustomRegistry(registry).CreateCounter("beacon_x_total", "Things counted.", ["key"]).WithLabels(label.Get).Inc(count);

            var family = ExpositionParser.Parse(registry.ToPrometheusText()).Single();
            family.Help.Should().Be("Things counted.");
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
            var registry = Metrics.NewCustomRegistry();
            var histogram = Metrics.WithCustomRegistry(registry).CreateHistogram("beacon_h", "h");
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
        var counter = Factory.CreateCounter("beacon_c_total", "c", ["worker"]);
        var gauge = Factory.CreateGauge("beacon_g", "g");
        var histogram = Factory.CreateHistogram("beacon_h", "h");

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
        _registry.ToPrometheusText().Should().Contain("beacon_h_count 80000\n");
    }

    [Fact]
    public void Registering_again_returns_the_same_metric_but_a_clash_throws()
    {
        var first = Factory.CreateCounter("beacon_a_total", "a", ["x"]);

        Factory.CreateCounter("beacon_a_total", "a", ["x"]).Should().BeSameAs(first);
        FluentActions.Invoking(() => Factory.CreateGauge("beacon_a_total", "a", ["x"])).Should().Throw<InvalidOperationException>();
    }

    [Theory]
    [InlineData("1starts_with_digit")]
    [InlineData("has-dash")]
    [InlineData("")]
    [InlineData("spa ce")]
    public void Invalid_metric_names_are_refused_at_registration(string name)
    {
        FluentActions.Invoking(() => Factory.CreateGauge(name, "h")).Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("__reserved")]
    [InlineData("has:colon")]
    [InlineData("9digit")]
    public void Invalid_label_names_are_refused_at_registration(string label)
    {
        FluentActions.Invoking(() => Factory.CreateGauge("beacon_g", "h", [label])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Histograms_refuse_le_as_a_label_and_unsorted_buckets()
    {
        FluentActions.Invoking(() => Factory.CreateHistogram("beacon_h1", "h", new HistogramConfiguration { LabelNames = ["le"] })).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Factory.CreateHistogram("beacon_h2", "h", new HistogramConfiguration { Buckets = [1, 0.5] })).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Counters_refuse_to_go_down_and_label_counts_must_match()
    {
        var counter = Factory.CreateCounter("beacon_c_total", "c", ["a", "b"]);

        FluentActions.Invoking(() => counter.WithLabels("only-one")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => counter.WithLabels("1", "2").Inc(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Labeled_children_are_written_in_a_stable_order_and_can_be_removed()
    {
        var owned = Factory.CreateGauge("beacon_owned", "Owned addresses.", ["service"]);
        owned.WithLabels("b/web").Set(1);
        owned.WithLabels("a/dns").Set(2);

        _registry.ToPrometheusText().Should().EndWith("beacon_owned{service=\"b/web\"} 1\nbeacon_owned{service=\"a/dns\"} 2\n");

        owned.RemoveLabelled("a/dns");
        _registry.ToPrometheusText().Should().NotContain("a/dns");
    }

    [Fact]
    public void Process_and_runtime_metrics_are_refreshed_at_each_scrape()
    {
        var registry = ServiceMetrics.CreateRegistry(new ServiceIdentity("beacon-test", "t", 1));

        var families = ExpositionParser.Parse(registry.ToPrometheusText());

        families.Select(f => f.Name).Should().Contain(["process_cpu_seconds_total", "process_working_set_bytes", "process_open_handles",
            "process_start_time_seconds", "process_num_threads", "dotnet_total_memory_bytes", "dotnet_collection_count_total", "beacon_build_info"]);
        families.Single(f => f.Name == "process_working_set_bytes").Samples.Single().Value.Should().BeGreaterThan(1_000_000);
        families.Single(f => f.Name == "process_open_handles").Samples.Single().Value.Should().BeGreaterThan(2);
        families.Single(f => f.Name == "beacon_build_info").Samples.Single().Labels["service"].Should().Be("beacon-test");
        double Gen2Collections(List<ExpositionParser.Family> scrape) =>
            scrape.Single(f => f.Name == "dotnet_collection_count_total").Samples.Single(s => s.Labels["generation"] == "2").Value;
        var before = Gen2Collections(families);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        Gen2Collections(ExpositionParser.Parse(registry.ToPrometheusText())).Should().BeGreaterThan(before);
    }
}
