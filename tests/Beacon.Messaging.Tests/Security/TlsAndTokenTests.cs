using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Tests.Bus;
using Beacon.TestSupport.Nats;

namespace Beacon.Messaging.Tests.Security;

public sealed class TlsAndTokenTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beacon-pki-").FullName;
    private readonly TestCertificates _pki;

    public TlsAndTokenTests() => _pki = TestCertificates.Create(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_client_trusting_the_servers_ca_connects_over_tls_and_exchanges_messages()
    {
        await using var server = await NatsServer.StartAsync(new NatsServerConfig { Tls = new NatsServerTls(_pki.ServerCertFile, _pki.ServerKeyFile) });
        await using var publisher = await Buses.ConnectAsync(server, o => o.TlsCaFile = _pki.CaFile);
        await using var subscriber = await Buses.ConnectAsync(server, o => o.TlsCaFile = _pki.CaFile);
        var inbox = new Inbox();
        await using var subscription = await subscriber.SubscribeAsync("tls.test", inbox.Handle);

        await publisher.PublishAsync("tls.test", "secret"u8.ToArray());

        (await inbox.NextAsync()).Payload.ToArray().Should().Equal("secret"u8.ToArray());
    }

    [Fact]
    public async Task A_client_trusting_another_ca_fails_clearly()
    {
        await using var server = await NatsServer.StartAsync(new NatsServerConfig { Tls = new NatsServerTls(_pki.ServerCertFile, _pki.ServerKeyFile) });
        await using var client = new NatsEventBus(Buses.Options(server, o => o.TlsCaFile = _pki.OtherCaFile));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var act = () => client.ConnectAsync(cts.Token);

        await act.Should().ThrowAsync<EventBusUnavailableException>().WithMessage("*TLS handshake failed*rejected*Nats:TlsCaFile*");
    }

    [Fact]
    public async Task A_client_without_a_ca_option_does_not_trust_a_private_ca()
    {
        await using var server = await NatsServer.StartAsync(new NatsServerConfig { Tls = new NatsServerTls(_pki.ServerCertFile, _pki.ServerKeyFile) });
        await using var client = new NatsEventBus(Buses.Options(server));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        var act = () => client.ConnectAsync(cts.Token);

        await act.Should().ThrowAsync<EventBusUnavailableException>().WithMessage("*TLS handshake failed*certificate chain*Nats:TlsCaFile*");
    }

    [Fact]
    public async Task A_server_that_verifies_clients_admits_only_clients_with_a_certificate()
    {
        await using var server = await NatsServer.StartAsync(new NatsServerConfig
        {
            Tls = new NatsServerTls(_pki.ServerCertFile, _pki.ServerKeyFile, _pki.CaFile, VerifyClients: true),
        });
        await using var withCertificate = await Buses.ConnectAsync(server, o =>
        {
            o.TlsCaFile = _pki.CaFile;
            o.TlsCertFile = _pki.ClientCertFile;
            o.TlsKeyFile = _pki.ClientKeyFile;
        });
        await using var without = new NatsEventBus(Buses.Options(server, o => o.TlsCaFile = _pki.CaFile));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));

        (await withCertificate.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        var act = () => without.ConnectAsync(cts.Token);
        await act.Should().ThrowAsync<EventBusUnavailableException>();
    }

    [Fact]
    public async Task A_plain_server_is_refused_when_the_client_requires_tls()
    {
        await using var server = await NatsServer.StartAsync();
        await using var client = new NatsEventBus(Buses.Options(server, o => o.TlsRequired = true));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        var act = () => client.ConnectAsync(cts.Token);

        await act.Should().ThrowAsync<EventBusUnavailableException>().WithMessage("*does not support TLS*");
    }

    [Fact]
    public async Task Token_authentication_admits_the_token_and_refuses_others()
    {
        await using var server = await NatsServer.StartAsync(new NatsServerConfig { Authorization = "  token: \"s3cret-token\"" });
        await using var good = await Buses.ConnectAsync(server, o => o.Token = "s3cret-token");
        await using var bad = new NatsEventBus(Buses.Options(server, o => o.Token = "wrong"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        good.State.Should().Be(BusConnectionState.Connected);
        var act = () => bad.ConnectAsync(cts.Token);
        await act.Should().ThrowAsync<EventBusUnavailableException>().WithMessage("*Authorization Violation*");
    }
}
