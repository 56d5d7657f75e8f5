using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace Beacon.Messaging.Nats;

/// <summary>Beacon's "Nats" options as the library's <see cref="NatsOpts"/>.</summary>
internal static class NatsOptsFactory
{
    public static NatsOpts Create(NatsOptions options, ILoggerFactory? loggers)
    {
        // Read here rather than handed to the library as NKeyFile, which rejects a file holding only the seed.
        (string Seed, string PublicKey)? nkey = options.NKeySeedFile is null
            ? null
            : NKeySeedFile.TryRead(options.NKeySeedFile, out var problem) ?? throw new InvalidOperationException($"Nats:NKeySeedFile '{options.NKeySeedFile}' {problem}.");
        return Create(options, loggers, nkey);
    }

    private static NatsOpts Create(NatsOptions options, ILoggerFactory? loggers, (string Seed, string PublicKey)? nkey) => new()
    {
        // The library tries every URL (and servers the cluster advertises) in random order.
        Url = string.Join(",", options.Urls),
        Name = options.Name ?? "beacon",
        LoggerFactory = loggers ?? NullLoggerFactory.Instance,
        AuthOpts = new NatsAuthOpts
        {
            Username = options.User,
            Password = options.Password,
            Token = options.Token,
            CredsFile = options.CredentialsFile,
            Seed = nkey?.Seed,
            NKey = nkey?.PublicKey,
        },
        TlsOpts = new NatsTlsOpts
        {
            CaFile = options.TlsCaFile,
            CertFile = options.TlsCertFile,
            KeyFile = options.TlsKeyFile,
            Mode = options.TlsRequired || options.TlsCaFile is not null || options.TlsCertFile is not null ? TlsMode.Require : TlsMode.Auto,
        },
        ConnectTimeout = options.ConnectTimeout,
        ReconnectWaitMin = options.ReconnectDelayMin,
        ReconnectWaitMax = options.ReconnectDelayMax,
        ReconnectJitter = options.ReconnectJitter,
        MaxReconnectRetry = -1,
        PingInterval = options.PingInterval,
        MaxPingOut = options.MaxPingsOutstanding,
        SubPendingChannelCapacity = options.SubscriptionCapacity,
        RequestTimeout = options.ConnectTimeout,
        CommandTimeout = options.ConnectTimeout,
    };

    /// <summary>Delay before the next first-connection attempt: doubling from the minimum, capped, with jitter.</summary>
    public static TimeSpan Backoff(NatsOptions options, int failures)
    {
        var min = options.ReconnectDelayMin.TotalMilliseconds;
        var delay = Math.Min(options.ReconnectDelayMax.TotalMilliseconds, min * Math.Pow(2, Math.Min(failures - 1, 20)));

        // Jitter keeps a fleet of agents from reconnecting in lockstep after a server restart.
        return TimeSpan.FromMilliseconds(delay + (Random.Shared.NextDouble() * options.ReconnectJitter.TotalMilliseconds));
    }
}
