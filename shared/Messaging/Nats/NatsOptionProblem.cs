namespace Beacon.Messaging.Nats;

/// <summary>
/// One problem of <see cref="NatsOptions"/>, with the option it is about (the <see cref="NatsOptions"/> property name,
/// e.g. NKeySeedFile) and what the operator should do, so each component can report it under its own spelling.
/// </summary>
public sealed record NatsOptionProblem(string Option, string Problem, string Fix)
{
    private static readonly (string Option, string Fix)[] Owners =
    [
        ("Urls", "give nats://host:port (or tls://host:port), comma-separated for a cluster, e.g. nats://nats-0:4222,nats://nats-1:4222"),
        ("CredentialsFile", "point it at the .creds file issued for this component (e.g. 'nsc generate creds'), and set no other identity"),
        ("NKeySeedFile", "point it at the file holding the user's NKey seed (SU…, e.g. written by 'nk -gen user'); the server lists the public key as nkey: U…"),
        ("TlsCaFile", "point it at the PEM CA certificate that signed the NATS server's certificate"),
        ("TlsCertFile", "give both the client certificate and its key (PEM files)"),
        ("TlsKeyFile", "give both the client certificate and its key (PEM files)"),
        ("Token", "give either a token or a user and password"),
        ("User", "give both a user and its password"),
    ];

    /// <summary>Attributes each of <see cref="NatsOptions.Validate"/>'s messages to the option it names first.</summary>
    public static IReadOnlyList<NatsOptionProblem> Of(NatsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Validate().Select(problem =>
        {
            // "Nats:NKeySeedFile '…' …" names its option first; "Nats: set either Token or …" names the first it conflicts on.
            var named = problem.StartsWith("Nats:", StringComparison.Ordinal) ? problem["Nats:".Length..].Split(' ', '\'')[0] : "";
            var owner = Owners.FirstOrDefault(o => o.Option == named);
            if (owner.Option is null)
            {
                owner = Owners.FirstOrDefault(o => problem.Contains(o.Option, StringComparison.Ordinal));
            }

            return owner.Option is null
                ? new NatsOptionProblem("Urls", problem, "fix the connection settings named in the problem")
                : new NatsOptionProblem(owner.Option, problem, owner.Fix);
        }).ToList();
    }
}
