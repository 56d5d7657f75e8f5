using System.Diagnostics;
using System.Text;
using Beacon.TestSupport.Processes;

namespace Beacon.TestSupport.Netns;

/// <summary>
/// A long-running program (daemon, agent, backend) started by a test. Output is kept so a failure can show it;
/// disposing kills it and its children.
/// </summary>
public sealed class BackgroundProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Done)> _waiters = [];

    private BackgroundProcess(Process process, string display)
    {
        _process = process;
        Display = display;
    }

    public string Display { get; }

    public int Id => _process.Id;

    private bool _disposed;
    private int? _exitCodeAtDisposal;

    public bool HasExited => _disposed || _process.HasExited;

    public int? ExitCode => _disposed ? _exitCodeAtDisposal : _process.HasExited ? _process.ExitCode : null;

    /// <summary>Everything printed so far on stdout and stderr, interleaved as received.</summary>
    public string Output
    {
        get { lock (_gate) { return _output.ToString(); } }
    }

    public static BackgroundProcess Start(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var args = arguments.ToList();
        // Declared programs only (build/external-programs.json), including the one 'ip netns exec' runs.
        var psi = ExternalPrograms.StartInfo(fileName, ExternalPrograms.ResolveNamespaceExec(fileName, args));
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var result = new BackgroundProcess(process, fileName + " " + string.Join(' ', args));
        process.OutputDataReceived += (_, e) => result.Append(e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {result.Display}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Completes when a printed line satisfies <paramref name="match"/> (lines already printed count).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var existing = _output.ToString().Split('\n').FirstOrDefault(match);
            if (existing is not null)
            {
                return existing;
            }

            _waiters.Add((match, done));
        }

        var finished = await Task.WhenAny(done.Task, Task.Delay(timeout));
        if (finished != done.Task)
        {
            throw new TimeoutException($"'{Display}' printed no matching line within {timeout}. Output so far:\n{Output}");
        }

        return await done.Task;
    }

    /// <summary>Sends a signal (SIGTERM = 15, SIGKILL = 9, SIGSTOP = 19, SIGCONT = 18) to the process.</summary>
    public void Signal(int signal)
    {
        if (!HasExited)
        {
            _ = NativeSignals.Kill(_process.Id, signal);
        }
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                Signal(18); // a stopped (SIGSTOP) process must be continued to die promptly
                _process.Kill(entireProcessTree: true);
                await WaitForExitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _exitCodeAtDisposal = _process.HasExited ? _process.ExitCode : null;
        _disposed = true;
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        List<TaskCompletionSource<string>> fire = [];
        lock (_gate)
        {
            _output.AppendLine(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    fire.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var f in fire)
        {
            f.TrySetResult(line);
        }
    }
}
