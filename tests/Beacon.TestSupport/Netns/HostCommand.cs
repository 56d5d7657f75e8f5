using System.Diagnostics;
using Beacon.TestSupport.Processes;

namespace Beacon.TestSupport.Netns;

/// <summary>
/// Runs a program to completion and captures its output (used for ip, birdc, arping…). The program, and the one
/// <c>ip netns exec</c> runs, must be declared in build/external-programs.json (see <see cref="ExternalPrograms"/>).
/// </summary>
public static class HostCommand
{
    public static async Task<CommandResult> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var args = arguments.ToList();
        var psi = ExternalPrograms.StartInfo(fileName, ExternalPrograms.ResolveNamespaceExec(fileName, args));
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;

        var display = fileName + " " + string.Join(' ', args);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {display}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"'{display}' did not finish within {timeout ?? TimeSpan.FromSeconds(60)}");
        }

        return new CommandResult(display, process.ExitCode, await stdout, await stderr);
    }

    public static Task<CommandResult> RunAsync(string fileName, params string[] arguments) =>
        RunAsync(fileName, arguments, null, CancellationToken.None);

    public static async Task<CommandResult> RunCheckedAsync(string fileName, params string[] arguments) =>
        (await RunAsync(fileName, arguments, null, CancellationToken.None)).EnsureSuccess();
}
