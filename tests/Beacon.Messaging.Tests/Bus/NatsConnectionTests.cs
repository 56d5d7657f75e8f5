using System.Text;
using Beacon.Messaging;
using Beacon.TestSupport.Nats;

namespace Beacon.Messaging.Tests.Bus;

public sealed class NatsConnectionTests : IClassFixture<NatsServerFixture>
{
    private readonly NatsServer _server;

    public NatsConnectionTests(NatsServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task A_published_message_reaches_a_wildcard_subscriber_on_another_connection()
    {
        await using var publisher = await Buses.ConnectAsync(_server);
        await using var subscriber = await Buses.ConnectAsync(_server);
        var inbox = new Inbox();
        await using var subscription = await subscriber.SubscribeAsync("test.pubsub.>", inbox.Handle);

        (await publisher.PublishAsync("test.pubsub.a.b", "hello"u8.ToArray())).Should().BeTrue();

        var message = await inbox.NextAsync();
        message.Subject.Should().Be("test.pubsub.a.b");
        Encoding.UTF8.GetString(message.Payload.Span).Should().Be("hello");
    }

    [Fact]
    public async Task Messages_from_one_publisher_arrive_in_order()
    {
        await using var publisher = await Buses.ConnectAsync(_server);
        await using var subscriber = await Buses.ConnectAsync(_server);
        var inbox = new Inbox();
        await using var subscription = await subscriber.SubscribeAsync("test.order", inbox.Handle);

        for (var i = 0; i < 2000; i++)
        {
            await publisher.PublishAsync("test.order", BitConverter.GetBytes(i));
        }

        for (var i = 0; i < 2000; i++)
        {
            BitConverter.ToInt32((await inbox.NextAsync()).Payload.Span).Should().Be(i);
        }
    }

    [Fact]
    public async Task A_request_gets_the_responders_reply()
    {
        await using var responder = await Buses.ConnectAsync(_server);
        await using var requester = await Buses.ConnectAsync(_server);
        await using var subscription = await responder.SubscribeAsync("test.echo", async (message, ct) =>
            await responder.PublishAsync(message.ReplyTo!, Encoding.UTF8.GetBytes("re:" + Encoding.UTF8.GetString(message.Payload.Span)), cancellationToken: ct));

        var reply = await requester.RequestAsync("test.echo", "ping"u8.ToArray(), TimeSpan.FromSeconds(5));

        Encoding.UTF8.GetString(reply.Payload.Span).Should().Be("re:ping");
    }

    [Fact]
    public async Task A_request_nobody_answers_times_out()
    {
        await using var requester = await Buses.ConnectAsync(_server);

        var act = () => requester.RequestAsync("test.nobody", "x"u8.ToArray(), TimeSpan.FromMilliseconds(200));

        await act.Should().ThrowAsync<TimeoutException>();
    }

    [Fact]
    public async Task An_unsubscribed_handler_receives_nothing_more()
    {
        await using var publisher = await Buses.ConnectAsync(_server);
        await using var subscriber = await Buses.ConnectAsync(_server);
        var inbox = new Inbox();
        var subscription = await subscriber.SubscribeAsync("test.unsub", inbox.Handle);
        await publisher.PublishAsync("test.unsub", "1"u8.ToArray());
        await inbox.NextAsync();

        await subscription.DisposeAsync();
        (await subscriber.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        await publisher.PublishAsync("test.unsub", "2"u8.ToArray());
        (await publisher.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        (await subscriber.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();

        (await inbox.StaysEmptyAsync(TimeSpan.FromMilliseconds(200))).Should().BeTrue();
    }

    [Fact]
    public async Task A_message_above_the_size_limit_is_refused_before_it_is_sent()
    {
        await using var publisher = await Buses.ConnectAsync(_server, o => o.MaxMessageBytes = 4096);

        var act = async () => await publisher.PublishAsync("test.big", new byte[4097]);

        await act.Should().ThrowAsync<MessageTooLargeException>().WithMessage("*4097-byte*4096-byte limit*");
        publisher.State.Should().Be(BusConnectionState.Connected);
    }

    [Fact]
    public async Task A_received_message_above_the_receivers_limit_is_dropped_and_counted()
    {
        var counters = new MessagingCounters();
        await using var publisher = await Buses.ConnectAsync(_server);
        await using var subscriber = await Buses.ConnectAsync(_server, o => o.MaxMessageBytes = 2048, counters);
        var inbox = new Inbox();
        await using var subscription = await subscriber.SubscribeAsync("test.bigin", inbox.Handle);

        await publisher.PublishAsync("test.bigin", new byte[4000]);
        await publisher.PublishAsync("test.bigin", new byte[10]);

        (await inbox.NextAsync()).Payload.Length.Should().Be(10);
        counters.GetDropped(Contracts.DecodeErrorKind.TooLarge).Should().Be(1);
    }

    [Fact]
    public async Task Publishing_while_never_connected_returns_false_and_counts()
    {
        var counters = new MessagingCounters();
        var options = Buses.Options(_server);
        options.Urls.Clear();
        options.Urls.Add("nats://127.0.0.1:1");
        await using var connection = new Nats.NatsEventBus(options, counters: counters);
        connection.Start();

        (await connection.PublishAsync("test.x", "x"u8.ToArray())).Should().BeFalse();
        counters.Get(MessagingCounter.PublishNotConnected).Should().Be(1);
    }

    [Fact]
    public async Task Connecting_to_a_port_without_a_server_fails_clearly_when_cancelled()
    {
        await using var stopped = await NatsServer.StartAsync();
        await stopped.StopAsync();
        await using var connection = new Nats.NatsEventBus(Buses.Options(stopped));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var act = () => connection.ConnectAsync(cts.Token);

        await act.Should().ThrowAsync<EventBusUnavailableException>().WithMessage($"*can not connect*{stopped.Url}*");
    }
}
