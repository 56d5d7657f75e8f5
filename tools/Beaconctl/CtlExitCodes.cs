namespace Beacon.Ctl;

/// <summary>beaconctl's exit codes, listed in --help so scripts can rely on them.</summary>
public static class CtlExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad command line (System.CommandLine's own code for parse errors).</summary>
    public const int Usage = 1;

    /// <summary>The answer was negative: no such Service, fail-node refused.</summary>
    public const int NotFound = 2;

    public const int NatsUnreachable = 3;

    /// <summary>Nobody answered the request (or no heartbeat arrived) in time.</summary>
    public const int NoAnswer = 4;

    /// <summary>events --count N: fewer than N events before --timeout.</summary>
    public const int TooFewEvents = 5;

    /// <summary>import: some input could not be converted (each problem is on stderr; the rest is still written).</summary>
    public const int NotConverted = 6;

    public const string HelpText =
        "Exit codes: 0 ok; 1 usage error; 2 negative answer (no such Service, fail-node refused); 3 NATS unreachable; " +
        "4 nobody answered in time; 5 events --count not reached before --timeout; 6 import could not convert everything.";
}
