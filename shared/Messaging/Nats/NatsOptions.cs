namespace Beacon.Messaging.Nats;

/// <summary>How to reach NATS; bound from the "Nats" configuration section by every component.</summary>
public sealed class NatsOptions
{
    public const string SectionName = "Nats";

    /// <summary>Server URLs (<c>nats://host:port</c> or <c>tls://host:port</c>), tried in turn.</summary>
    public IList<string> Urls { get; } = new List<string>();

    public string? User { get; set; }

    public string? Password { get; set; }

    public string? Token { get; set; }

    /// <summary>A <c>.creds</c> file (user JWT and NKey seed), for servers using decentralised (operator/account) auth.</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>A file holding an NKey seed (<c>SU...</c>), for servers that list the user's public NKey.</summary>
    public string? NKeySeedFile { get; set; }

    /// <summary>PEM CA bundle that must have signed the server certificate (instead of the system trust store).</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>PEM client certificate, for servers that verify clients; needs <see cref="TlsKeyFile"/>.</summary>
    public string? TlsCertFile { get; set; }

    public string? TlsKeyFile { get; set; }

    /// <summary>Require TLS even when the URL says <c>nats://</c>.</summary>
    public bool TlsRequired { get; set; }

    /// <summary>Shown by the server (connz) to identify the client, e.g. <c>beacon-agent-node-a</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Largest message this client publishes or accepts (the server's max_payload also applies).</summary>
    public int MaxMessageBytes { get; set; } = Contracts.CloudEventCodec.DefaultMaxBytes;

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// First reconnect delay; doubles per failed attempt up to <see cref="ReconnectDelayMax"/>. Reconnects never stop.
    /// The library's defaults (2 s, 5 s) put a reconnect 4-5 s after a server returns; static stability wants ≤ 2 s.
    /// </summary>
    public TimeSpan ReconnectDelayMin { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectDelayMax { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Random extra delay per reconnect attempt so a fleet does not reconnect in lockstep.</summary>
    public TimeSpan ReconnectJitter { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Client PING period; a connection that receives nothing at all for more than <see cref="MaxPingsOutstanding"/>
    /// periods is dropped as stale.
    /// </summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(10);

    public int MaxPingsOutstanding { get; set; } = 2;

    /// <summary>Messages buffered per subscription before new ones are dropped (slow consumer).</summary>
    public int SubscriptionCapacity { get; set; } = 65_536;

    /// <summary>Every problem with these options, as messages fit for a startup error; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Urls.Count == 0)
        {
            problems.Add("Nats:Urls must list at least one server URL (e.g. nats://nats:4222).");
        }

        foreach (var url in Urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls") || string.IsNullOrEmpty(uri.Host))
            {
                problems.Add($"Nats:Urls entry '{url}' is not a nats://host:port or tls://host:port URL.");
            }
        }

        if (Token is not null && (User is not null || Password is not null))
        {
            problems.Add("Nats: set either Token or User/Password, not both.");
        }

        if ((User is null) != (Password is null))
        {
            problems.Add("Nats: User and Password must be set together.");
        }

        if (CredentialsFile is not null && (Token is not null || User is not null || NKeySeedFile is not null))
        {
            problems.Add("Nats: CredentialsFile carries its own identity; do not combine it with Token, User/Password or NKeySeedFile.");
        }

        if ((TlsCertFile is null) != (TlsKeyFile is null))
        {
            problems.Add("Nats: TlsCertFile and TlsKeyFile must be set together.");
        }

        foreach (var (name, file) in new[] { ("TlsCaFile", TlsCaFile), ("TlsCertFile", TlsCertFile), ("TlsKeyFile", TlsKeyFile), ("CredentialsFile", CredentialsFile), ("NKeySeedFile", NKeySeedFile) })
        {
            if (file is not null && !File.Exists(file))
            {
                problems.Add($"Nats:{name} '{file}' does not exist.");
            }
        }

        if (NKeySeedFile is not null && File.Exists(NKeySeedFile) && Nats.NKeySeedFile.TryRead(NKeySeedFile, out var seedProblem) is null)
        {
            problems.Add($"Nats:NKeySeedFile '{NKeySeedFile}' {seedProblem}.");
        }

        if (CredentialsFile is not null && File.Exists(CredentialsFile) && !LooksLikeCredentials(CredentialsFile))
        {
            problems.Add($"Nats:CredentialsFile '{CredentialsFile}' is not a NATS .creds file (it needs a '-----BEGIN NATS USER JWT-----' and a '-----BEGIN USER NKEY SEED-----' block, as 'nsc generate creds' writes).");
        }

        if (MaxMessageBytes is < 1024 or > 64 * 1024 * 1024)
        {
            problems.Add("Nats:MaxMessageBytes must be between 1 KiB and 64 MiB.");
        }

        if (ConnectTimeout <= TimeSpan.Zero || ReconnectDelayMin <= TimeSpan.Zero || ReconnectDelayMax < ReconnectDelayMin || PingInterval <= TimeSpan.Zero)
        {
            problems.Add("Nats: ConnectTimeout, ReconnectDelayMin and PingInterval must be positive and ReconnectDelayMax >= ReconnectDelayMin.");
        }

        if (SubscriptionCapacity < 16 || MaxPingsOutstanding < 1 || ReconnectJitter < TimeSpan.Zero)
        {
            problems.Add("Nats: SubscriptionCapacity >= 16, MaxPingsOutstanding >= 1 and ReconnectJitter >= 0 are required.");
        }

        return problems;
    }

    private static bool LooksLikeCredentials(string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return text.Contains("-----BEGIN NATS USER JWT-----", StringComparison.Ordinal) && text.Contains("-----BEGIN USER NKEY SEED-----", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
