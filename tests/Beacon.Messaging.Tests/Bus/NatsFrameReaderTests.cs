using System.Buffers;
using System.Text;
using Beacon.Messaging.Nats;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Messaging.Tests.Bus;

public sealed class NatsFrameReaderTests
{
    private static readonly byte[] Stream = Encoding.UTF8.GetBytes(
        "INFO {\"max_payload\":1048576}\r\n" +
        "MSG beacon.v1.digest 7 12\r\nhello\r\nworld\r\n" +
        "PING\r\n" +
        "MSG a.b 3 _INBOX.x.1 0\r\n\r\n" +
        "+OK\r\n" +
        "-ERR 'Permissions Violation for Publish to \"x\"'\r\n" +
        "PONG\r\n");

    [Property]
    public Property Frames_parse_the_same_however_the_socket_splits_the_bytes()
    {
        var cuts = Gen.ListOf(Gen.Choose(1, Stream.Length - 1)).Select(c => c.Distinct().Order().ToArray());
        return Prop.ForAll(cuts.ToArbitrary(), points =>
        {
            var frames = new List<NatsFrame>();
            var received = new List<byte>();
            var start = 0;
            foreach (var end in points.Append(Stream.Length))
            {
                received.AddRange(Stream[start..end]);
                start = end;
                var buffer = new ReadOnlySequence<byte>(received.ToArray());
                while (NatsFrameReader.TryRead(ref buffer, 1024, out var frame))
                {
                    frames.Add(frame!);
                }

                received = [.. buffer.ToArray()];
            }

            return received.Count == 0 && Describe(frames) == Describe(Whole());
        });
    }

    [Fact]
    public void Messages_keep_payload_bytes_including_line_breaks_and_reply_subjects()
    {
        var frames = Whole();

        frames.Select(f => f.Op).Should().Equal(NatsOp.Info, NatsOp.Msg, NatsOp.Ping, NatsOp.Msg, NatsOp.Ok, NatsOp.Err, NatsOp.Pong);
        Encoding.UTF8.GetString(frames[1].Payload!).Should().Be("hello\r\nworld");
        frames[1].Sid.Should().Be(7);
        frames[3].ReplyTo.Should().Be("_INBOX.x.1");
        frames[3].Payload.Should().BeEmpty();
        frames[5].Text.Should().StartWith("Permissions Violation");
    }

    [Theory]
    [InlineData("BOGUS\r\n")]
    [InlineData("MSG a 1\r\n")]
    [InlineData("MSG a x 3\r\nabc\r\n")]
    [InlineData("MSG a 1 2048\r\n")]
    public void Garbage_from_the_server_is_a_protocol_error(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));

        var act = () => NatsFrameReader.TryRead(ref buffer, 1024, out _);

        act.Should().Throw<NatsProtocolException>();
    }

    [Fact]
    public void A_control_line_without_an_end_longer_than_the_limit_is_a_protocol_error()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[NatsFrameReader.MaxControlLine + 1]);

        var act = () => NatsFrameReader.TryRead(ref buffer, 1024, out _);

        act.Should().Throw<NatsProtocolException>();
    }

    private static List<NatsFrame> Whole()
    {
        var buffer = new ReadOnlySequence<byte>(Stream);
        var frames = new List<NatsFrame>();
        while (NatsFrameReader.TryRead(ref buffer, 1024, out var frame))
        {
            frames.Add(frame!);
        }

        return frames;
    }

    private static string Describe(IEnumerable<NatsFrame> frames) =>
        string.Join("|", frames.Select(f => $"{f.Op}:{f.Text}:{f.Subject}:{f.Sid}:{f.ReplyTo}:{(f.Payload is null ? "-" : Convert.ToHexString(f.Payload))}"));
}
