namespace Beacon.Hosting;

/// <summary>Process exit codes every Beacon service uses, so scripts and tests can tell failures apart.</summary>
public static class ExitCodes
{
    /// <summary>Clean stop (including after SIGTERM) or --help.</summary>
    public const int Success = 0;

    /// <summary>The service started but failed while running or could not start (port in use, a component threw).</summary>
    public const int Failure = 1;

    /// <summary>An option was missing or invalid; nothing was started.</summary>
    public const int InvalidOptions = 2;
}
