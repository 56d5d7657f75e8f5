using System.Diagnostics;

namespace Beacon.TestSupport.Processes;

/// <summary>Runs <c>kubectl kustomize</c> on a directory, as a user rendering the manifests would.</summary>
public static class Kustomize
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>The rendered YAML; throws with kubectl's error text when it fails or takes longer than a minute.</summary>
    public static string Render(string directory)
    {
        var start = ExternalPrograms.StartInfo("kubectl", ["kustomize", directory]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(true);
            throw new TimeoutException($"kubectl kustomize {directory} did not finish in {Limit.TotalSeconds:F0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl kustomize {directory} failed ({process.ExitCode}): {stderr.Result}");
        }

        return stdout.Result;
    }
}
