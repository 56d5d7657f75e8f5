using System.Text;
using Beacon.Announcer.Modes.GoBgp;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Announcer.Tests.GoBgp;

/// <summary>Beacon's section of gobgpd's config file: what a peer renders to, the operator's part kept, and gobgpd reading it back.</summary>
public sealed class GoBgpConfigFileTests
{
    private const string Operator = "[global.config]\n  as = 65010\n  router-id = \"198.18.0.11\"\n  port = -1\n\n[[neighbors]]\n  [neighbors.config]\n    neighbor-address = \"198.18.0.9\"\n    peer-as = 65009\n";

    private static readonly GoBgpPeer Full = new("router-a", "198.18.0.1", 65000, 65010, "s3cret", 1179, "198.18.0.11", 9, 3, "red", 255);

    [Fact]
    public void A_peer_renders_every_field_below_the_marker_after_the_operators_part()
    {
        var text = GoBgpConfigFile.Render(Operator, [Full, new GoBgpPeer("v6", "fd00:beac::1", 65000, 65010, null, null, null, 90, 30, null, 0)], TimeSpan.FromSeconds(1));

        text.Should().Be(Operator + GoBgpConfigFile.Marker + "\n" + """

            # BGP peer router-a
            [[neighbors]]
              [neighbors.config]
                neighbor-address = "198.18.0.1"
                peer-as = 65000
                local-as = 65010
                auth-password = "s3cret"
                vrf = "red"
              [neighbors.transport.config]
                remote-port = 1179
                local-address = "198.18.0.11"
              [neighbors.timers.config]
                hold-time = 9
                keepalive-interval = 3
                connect-retry = 1
              [neighbors.ebgp-multihop.config]
                enabled = true
                multihop-ttl = 255
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv4-unicast"

            # BGP peer v6
            [[neighbors]]
              [neighbors.config]
                neighbor-address = "fd00:beac::1"
                peer-as = 65000
                local-as = 65010
              [neighbors.timers.config]
                hold-time = 90
                keepalive-interval = 30
                connect-retry = 1
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv6-unicast"

            """);
    }

    [Fact]
    public void Rewriting_replaces_only_Beacons_section_and_the_operators_neighbours_are_told_apart()
    {
        var first = GoBgpConfigFile.Render(Operator.TrimEnd('\n'), [Full], TimeSpan.FromSeconds(1));

        var part = GoBgpConfigFile.OperatorPart(first);

        part.Should().Be(Operator, "a missing final newline is added before the marker");
        GoBgpConfigFile.Render(part, [], TimeSpan.FromSeconds(1)).Should().Be(Operator + GoBgpConfigFile.Marker + "\n");
        GoBgpConfigFile.NeighborAddresses(part).Should().BeEquivalentTo("198.18.0.9");
        GoBgpConfigFile.NeighborAddresses(first[part.Length..]).Should().BeEquivalentTo("198.18.0.1");
        GoBgpConfigFile.OperatorPart(Operator).Should().Be(Operator, "a file without Beacon's section is all the operator's");
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("two\nlines\r\tx", "\"two\\nlines\\r\\tx\"")]
    [InlineData("bell\u0007\u007f", "\"bell\\u0007\\u007F\"")]
    [InlineData("\"]\n[[neighbors]]", "\"\\\"]\\n[[neighbors]]\"")]
    public void Passwords_are_TOML_basic_strings_that_nothing_can_end_early(string value, string quoted) =>
        GoBgpConfigFile.Quote(value).Should().Be(quoted);

    [Property]
    public Property Every_peer_appears_exactly_once_and_nothing_else_is_a_neighbour_of_Beacons_section()
    {
        var peers = Peer().ListOf().Select(l => l.DistinctBy(p => p.Address).ToList());
        return Prop.ForAll(peers.ToArbitrary(), list =>
        {
            var text = GoBgpConfigFile.Render(Operator, list, TimeSpan.FromSeconds(5));
            var section = text[GoBgpConfigFile.OperatorPart(text).Length..];
            GoBgpConfigFile.NeighborAddresses(section).Should().BeEquivalentTo(list.Select(p => p.Address));
            CountOf(section, "\n[[neighbors]]\n").Should().Be(list.Count);
            GoBgpConfigFile.OperatorPart(text).Should().Be(Operator);
        });
    }

    [Fact]
    public async Task Gobgpd_reads_back_every_rendered_peer_once_with_its_password_however_it_is_escaped()
    {
        var directory = DaemonDirectory.Create("gobgp-parse");
        try
        {
            var samples = Peer().ListOf().Select(l => l.DistinctBy(p => p.Address).ToList()).Sample(10, 6);
            foreach (var (sample, i) in samples.Select((s, i) => (s, i)))
            {
                var file = Path.Combine(directory, $"gobgpd{i}.toml");
                await File.WriteAllTextAsync(file, GoBgpConfigFile.Render(Operator, sample, TimeSpan.FromSeconds(5)));

                // A dry run parses the file as gobgpd does at a reload; at debug level it prints what it read.
                var check = await HostCommand.RunAsync("gobgpd", ["-d", "-l", "debug", "-f", file], TimeSpan.FromSeconds(30));

                check.Succeeded.Should().BeTrue($"gobgpd should read:\n{await File.ReadAllTextAsync(file)}\n{check.StandardError}");
                var read = check.StandardOutput + check.StandardError;
                foreach (var peer in sample.Append(new GoBgpPeer("operator", "198.18.0.9", 65009, 65010, null, null, null, 0, 0, null, 0)))
                {
                    var config = read.Split('\n').Where(l => l.Contains("Config: config.NeighborConfig{", StringComparison.Ordinal)
                        && l.Contains($"NeighborAddress:\"{peer.Address}\"", StringComparison.Ordinal)).ToList();
                    config.Should().ContainSingle($"neighbour {peer.Address} once");
                    config[0].Should().Contain($"AuthPassword:{GoQuoted(peer.Password ?? "")}");
                }
            }
        }
        finally
        {
            DaemonDirectory.TryDelete(directory);
        }
    }

    /// <summary>Peers with any field set or not and passwords of printable characters, quotes, backslashes, newlines and tabs.</summary>
    private static Gen<GoBgpPeer> Peer() =>
        from address in Gen.Elements("198.18.0.1", "198.18.0.2", "fd00:beac::1", "fd00:beac::2")
        from password in Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements("a\"b", "c\\d", "e\nf", "g\th", "x y", "'", "]]").ListOf().Select(l => (string?)string.Concat(l)))
        from port in Gen.Elements<int?>(null, 179, 1179)
        from local in Gen.Elements<string?>(null, "198.18.0.11")
        from hold in Gen.Elements(0u, 3u, 90u)
        from multihop in Gen.Elements(0u, 255u)
        select new GoBgpPeer("peer", address, 65000, 65010, password, port, local, hold, hold / 3, null, multihop);

    /// <summary>How Go's %q prints the ASCII strings above.</summary>
    private static string GoQuoted(string value) =>
        "\"" + new StringBuilder(value).Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t") + "\"";

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
