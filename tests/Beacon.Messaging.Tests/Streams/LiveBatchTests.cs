using System.Buffers;
using System.Text;
using Beacon.Messaging.Streams;

namespace Beacon.Messaging.Tests.Streams;

/// <summary>A handler is handed exactly the messages of its part of a take, in order, as live messages.</summary>
public sealed class LiveBatchTests
{
    [Fact]
    public void A_batch_is_the_takes_messages_from_its_start_for_its_count_in_order()
    {
        var messages = new LiveMessages(new ChunkShelf());
        for (var i = 0; i < 10; i++)
        {
            messages.Add($"s.{i}", new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes($"payload {i}")));
        }

        var batch = new LiveBatch(messages, 3, 4);

        batch.Count.Should().Be(4);
        batch.Select(m => m.Subject).Should().Equal("s.3", "s.4", "s.5", "s.6");
        batch.Select(m => Encoding.UTF8.GetString(m.Payload.Span)).Should().Equal("payload 3", "payload 4", "payload 5", "payload 6");
        batch.Should().OnlyContain(m => m.IsLive);
        batch[3].Subject.Should().Be("s.6");
        FluentActions.Invoking(() => batch[4]).Should().Throw<ArgumentOutOfRangeException>("the message after the batch is not its own");
        FluentActions.Invoking(() => new LiveBatch(messages, 8, 3)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
