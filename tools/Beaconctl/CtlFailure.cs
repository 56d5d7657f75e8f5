namespace Beacon.Ctl;

/// <summary>A failure beaconctl reports in one line and turns into an exit code (no stack trace for the user).</summary>
public sealed class CtlFailure : Exception
{
    public CtlFailure()
    {
    }

    public CtlFailure(string message)
        : base(message)
    {
    }

    public CtlFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CtlFailure(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; } = CtlExitCodes.Usage;
}
