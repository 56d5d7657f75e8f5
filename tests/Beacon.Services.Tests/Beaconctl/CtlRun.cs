using System.Collections;
using Beacon.Ctl;

namespace Beacon.Services.Tests.Beaconctl;

/// <summary>What one beaconctl invocation printed and returned.</summary>
internal sealed record CtlRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs beaconctl in-process (same code as the executable) with an empty environment.</summary>
    public static async Task<CtlRun> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BeaconctlApp.RunAsync(args, output, error, new Hashtable());
        return new CtlRun(code, output.ToString(), error.ToString());
    }

    public override string ToString() => $"exit {ExitCode}\n{Output}\n{Error}";
}
