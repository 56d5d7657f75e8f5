using Beacon.Announcer.Modes.Bird;

namespace Beacon.Announcer.Tests.Bird;

/// <summary>Reading BIRD's control-socket replies: numbered lines, continuations, final codes.</summary>
public sealed class BirdReplyParserTests
{
    [Fact]
    public void A_successful_configure_ends_with_code_3()
    {
        var parser = new BirdReplyParser();

        parser.Add("0002-Reading configuration from /etc/bird/bird.conf").Should().BeNull();
        var reply = parser.Add("0003 Reconfigured");

        reply.Should().NotBeNull();
        reply!.IsReconfigured.Should().BeTrue();
        reply.IsError.Should().BeFalse();
        reply.Lines.Should().Equal("Reading configuration from /etc/bird/bird.conf", "Reconfigured");
    }

    [Fact]
    public void A_parse_error_is_an_error_reply_with_BIRDs_message()
    {
        var parser = new BirdReplyParser();
        parser.Add("0002-Reading configuration from /x/bird.conf");

        var reply = parser.Add("8002 /x/beacon.conf:9:1 syntax error, unexpected GARBAGE")!;

        reply.IsError.Should().BeTrue();
        reply.IsReconfigured.Should().BeFalse();
        reply.Text.Should().Contain("syntax error");
    }

    [Fact]
    public void Continuation_lines_belong_to_the_reply_and_a_parser_is_reusable()
    {
        var parser = new BirdReplyParser();
        parser.Add("2002-Name       Proto      Table      State  Since         Info");
        parser.Add("1002-device1    Device     ---        up     23:19:54.249");
        parser.Add(" beacon4    Static     master4    up     23:19:54.249");
        var table = parser.Add("0000 ")!;
        var next = parser.Add("0001 BIRD 2.0.12 ready.")!;

        table.Code.Should().Be(0);
        table.Lines.Should().HaveCount(4).And.Contain("beacon4    Static     master4    up     23:19:54.249");
        next.Lines.Should().Equal("BIRD 2.0.12 ready.");
    }

    [Theory]
    [InlineData("0004 Reconfiguration in progress", true)]
    [InlineData("0005 Reconfiguration already in progress, queueing new config", true)]
    [InlineData("0006 Reconfiguration ignored, shutting down", false)]
    [InlineData("9001 Parse error", false)]
    public void Only_accepted_reconfigurations_count_as_applied(string line, bool applied)
    {
        new BirdReplyParser().Add(line)!.IsReconfigured.Should().Be(applied);
    }
}
