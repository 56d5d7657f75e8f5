using System.Diagnostics;
using System.Globalization;
using System.Text;
using Beacon.Lab;
using Beacon.TestSupport.Processes;

namespace Beacon.Benchmarks.Bus;

/// <summary>
/// The NativeAOT replicas' process (bench/Beacon.Bench.Replicas, published by <c>./build.sh --target=Publish</c> into
/// artifacts/publish/bench-replicas): N replicas, each with its own connection, as N node agents run them. It writes
/// plain lines "word value…" (its Program.cs lists them); this reads them in order and ends the process on dispose.
/// </summary>
internal sealed class NativeReplicaHost : IAsyncDisposable
{
    public const string ProgramName = "Beacon.Bench.Replicas";
    private const string PublishCommand = "./build.sh --target=Publish";

    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private NativeReplicaHost(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    /// <summary>
    /// The published executable; throws naming the command to run when it is missing or older than a source it is built
    /// from (a stale one would measure other code than the tree's).
    /// </summary>
    public static string RequireExecutable()
    {
        var root = LabPaths.FindRepositoryRoot(AppContext.BaseDirectory);
        var executable = Path.Combine(root, "artifacts", "publish", "bench-replicas", ProgramName);
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: publish the NativeAOT replicas' process with {PublishCommand} first");
        }

        var newest = new[] { "bench/Beacon.Bench.Replicas", "shared/Messaging", "shared/Contracts" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(root, d), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat([Path.Combine(root, "services", "NativeAot.props"), Path.Combine(root, "Directory.Packages.props")])
            .Where(File.Exists)
            .MaxBy(File.GetLastWriteTimeUtc)!;
        if (File.GetLastWriteTimeUtc(newest) > File.GetLastWriteTimeUtc(executable))
        {
            throw new InvalidOperationException($"{executable} is older than {newest}: publish it again with {PublishCommand}");
        }

        return executable;
    }

    public static NativeReplicaHost Start(string executable, string natsUrl, int replicas, int services)
    {
        var start = ExternalPrograms.StartInfo(executable, [natsUrl, replicas.ToString(CultureInfo.InvariantCulture), services.ToString(CultureInfo.InvariantCulture)]);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return new NativeReplicaHost(Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start"));
    }

    /// <summary>The values of the next line starting with <paramref name="word"/> (earlier lines are skipped).</summary>
    public async Task<string[]> ExpectAsync(string word, CancellationToken cancellationToken)
    {
        while (await _process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            var parts = line.Split(' ');
            if (parts[0] == word)
            {
                return parts[1..];
            }
        }

        await _process.WaitForExitAsync(cancellationToken);
        string errors;
        lock (_errors)
        {
            errors = _errors.ToString().Trim();
        }

        throw new InvalidOperationException($"{ProgramName} exited with {_process.ExitCode} before reporting '{word}': {errors}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("exit");
                _process.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(grace.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
