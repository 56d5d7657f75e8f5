using Beacon.Allocator.Standalone;

namespace Beacon.Allocator.Tests.Standalone;

public sealed class ManifestCatalogTests
{
    private const string Group = """
        apiVersion: purelb.io/v1
        kind: ServiceGroup
        metadata:
          name: default
        spec:
          local:
            v4pool:
              subnet: 192.168.1.0/24
              pool: 192.168.1.240-192.168.1.250
        """;

    private static string Service(string name, string ns = "default") => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          type: LoadBalancer
          ports:
          - port: 80
            protocol: TCP
        """;

    [Fact]
    public void Reads_services_and_groups_from_multi_document_files()
    {
        var snapshot = ManifestCatalog.Build([("groups.yaml", Group), ("apps.yaml", Service("web") + "\n---\n" + Service("api", "team-a"))]);

        snapshot.Problems.Should().BeEmpty();
        snapshot.Groups.Keys.Should().Equal("default/default");
        snapshot.Services.Keys.Should().BeEquivalentTo(["default/web", "team-a/api"]);
        snapshot.Services["default/web"].Spec.Ports!.Single().Port.Should().Be(80);
    }

    [Fact]
    public void A_broken_file_is_reported_by_file_and_line_and_the_rest_still_loads()
    {
        var brokenYaml = "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec: [unclosed\n";
        var badGroup = Group.Replace("192.168.1.240-192.168.1.250", "192.168.1.240-192.168.1.999", StringComparison.Ordinal);

        var snapshot = ManifestCatalog.Build([("a-good.yaml", Service("web")), ("b-broken.yaml", brokenYaml), ("c-group.yaml", badGroup)]);

        snapshot.Services.Keys.Should().Equal("default/web");
        snapshot.Groups.Should().BeEmpty();
        snapshot.Problems.Should().Contain(p => p.Source == "b-broken.yaml" && p.Message.StartsWith("invalid YAML", StringComparison.Ordinal));
        snapshot.Problems.Should().Contain(p => p.Source == "c-group.yaml" && p.Line == 9 && p.Message.Contains("spec.local.v4pool.pool", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_field_types_missing_names_duplicates_and_unknown_kinds_are_reported()
    {
        var wrongType = "apiVersion: v1\nkind: Service\nmetadata:\n  name: typed\nspec:\n  ports:\n  - port: eighty\n";
        var noName = "apiVersion: v1\nkind: Service\nmetadata: {}\nspec: {}\n";
        var unknown = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n";

        var snapshot = ManifestCatalog.Build([("1.yaml", Service("web")), ("2.yaml", Service("web")), ("3.yaml", wrongType), ("4.yaml", noName), ("5.yaml", unknown)]);

        snapshot.Services.Keys.Should().Equal("default/web");
        snapshot.Problems.Select(p => $"{p.Source}:{p.Line}").Should().BeEquivalentTo(["2.yaml:1", "3.yaml:7", "4.yaml:3", "5.yaml:1"]);
        snapshot.Problems.Single(p => p.Source == "2.yaml").Message.Should().Contain("already declared at 1.yaml:1");
    }

    [Fact]
    public void Names_and_namespaces_the_API_server_would_refuse_are_reported_by_line_and_skipped()
    {
        // What a new user tried: two bytes that are not UTF-8 as a Service name (decoded as U+FFFD on read).
        var garbled = System.Text.Encoding.UTF8.GetString([0xFF, 0xFE]);
        var files = new[]
        {
            ("a.yaml", Service("web")),
            ("b.yaml", Service(garbled)),
            ("c.yaml", Service("Upper")),
            ("d.yaml", Service("9starts-with-digit")),
            ("e.yaml", Service("fine", "Bad_Namespace")),
            ("f.yaml", Service(new string('x', 64))),
            ("g.yaml", Group.Replace("name: default", "name: no spaces allowed", StringComparison.Ordinal)),
        };

        var snapshot = ManifestCatalog.Build(files);

        snapshot.Services.Keys.Should().Equal("default/web");
        snapshot.Groups.Should().BeEmpty();
        snapshot.Problems.Select(p => $"{p.Source}:{p.Line}").Should().BeEquivalentTo(["b.yaml:4", "c.yaml:4", "d.yaml:4", "e.yaml:5", "f.yaml:4", "g.yaml:4"]);
        snapshot.Problems.Single(p => p.Source == "b.yaml").Message.Should().Contain("DNS-1035").And.Contain("\\ufffd").And.Contain("ignored");
        snapshot.Problems.Single(p => p.Source == "e.yaml").Message.Should().Contain("namespace \"Bad_Namespace\"");
        snapshot.Problems.Single(p => p.Source == "f.yaml").Message.Should().Contain("no more than 63 characters");
    }
}
