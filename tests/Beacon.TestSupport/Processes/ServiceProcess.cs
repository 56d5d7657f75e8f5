using System.Diagnostics;
using System.Text.RegularExpressions;
using Beacon.TestSupport.Netns;

namespace Beacon.TestSupport.Processes;

/// <summary>
/// A real Beacon service process (dotnet Beacon.X.dll ...) started by a test. Every stdout and stderr line is kept
/// and can be awaited; <see cref="WaitForListeningAsync"/> finds the HTTP port from the "listening on" log line.
/// Disposing kills the process if it is still running, so a failing test leaves nothing behind.
/// </summary>
public sealed partial class ServiceProcess : IAsyncDisposable
{
    // Services still running when the test host exits (a test that forgot to dispose, a cancelled run) are killed then.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Process, byte> Running = new();

    static ServiceProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Keys)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    };

    private readonly Process _process;
    private readonly Lock _gate = new();
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Done)> _waiters = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process, string service, string? networkNamespace)
    {
        _process = process;
        Service = service;
        NetworkNamespace = networkNamespace;
    }

    public string Service { get; }

    /// <summary>The network namespace the service runs in, or null for the test's own.</summary>
    public string? NetworkNamespace { get; }

    public int Pid => _process.Id;

    public int? Port { get; private set; }

    public IReadOnlyList<string> StandardOutput
    {
        get { lock (_gate) return [.. _stdout]; }
    }

    public IReadOnlyList<string> StandardError
    {
        get { lock (_gate) return [.. _stderr]; }
    }

    /// <summary>Both streams, for failure messages.</summary>
    public string Transcript
    {
        get
        {
            lock (_gate)
                return $"--- {Service} stdout ---\n{string.Join('\n', _stdout)}\n--- {Service} stderr ---\n{string.Join('\n', _stderr)}";
        }
    }

    /// <summary>
    /// Starts the service, inside <paramref name="networkNamespace"/> when given (through <c>ip netns exec</c>, which execs,
    /// so the pid is the service's own). BEACON_* variables of the test runner are not inherited, so only
    /// <paramref name="environment"/> applies.
    /// </summary>
    public static ServiceProcess Start(string service, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        string? networkNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var psi = ExternalPrograms.StartInfo(networkNamespace is null ? "dotnet" : "ip",
            networkNamespace is null ? [] : ["netns", "exec", networkNamespace, ExternalPrograms.Resolve("dotnet")]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.RedirectStandardInput = true;
        psi.WorkingDirectory = Path.GetTempPath();
        psi.ArgumentList.Add(ServiceBinaries.PathOf(service));
        foreach (var argument in arguments)
            psi.ArgumentList.Add(argument);
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("BEACON_", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            psi.Environment[name] = value;

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var started = new ServiceProcess(process, service, networkNamespace);
        process.OutputDataReceived += (_, e) => started.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => started.OnLine(e.Data, isError: true);
        process.Start();
        Running.TryAdd(process, 0);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs the service to completion (e.g. --help or bad options) and returns it exited.</summary>
    public static async Task<ServiceProcess> RunToExitAsync(string service, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, string? networkNamespace = null)
    {
        var process = Start(service, arguments, environment, networkNamespace);
        await process.WaitForExitAsync(timeout);
        return process;
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Waits for an output line (stdout or stderr) matching <paramref name="pattern"/>, including lines already seen.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        TaskCompletionSource<Match> done;
        lock (_gate)
        {
            foreach (var line in _stdout.Concat(_stderr))
            {
                var seen = pattern.Match(line);
                if (seen.Success)
                    return seen;
            }
            done = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((pattern, done));
        }
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(done.Task, exited, Task.Delay(timeout));
        if (first == done.Task)
            return await done.Task;
        // The process may print the line and exit at once: let the readers drain before giving up.
        if (first == exited)
        {
            await Task.WhenAny(Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task), Task.Delay(TimeSpan.FromSeconds(2)));
            if (done.Task.IsCompleted)
                return await done.Task;
            throw new InvalidOperationException($"{Service} exited with {_process.ExitCode} before printing a line matching /{pattern}/.\n{Transcript}");
        }
        throw new TimeoutException($"{Service} printed no line matching /{pattern}/ within {timeout}.\n{Transcript}");
    }

    /// <summary>Waits for the "listening on http://address:port" log line and remembers the port.</summary>
    public async Task<int> WaitForListeningAsync(TimeSpan timeout)
    {
        var match = await WaitForLineAsync(ListeningLine(), timeout);
        Port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return Port.Value;
    }

    public Uri Url(string path) =>
        new($"http://127.0.0.1:{Port ?? throw new InvalidOperationException("Call WaitForListeningAsync first.")}{path}");

    /// <summary>Sends SIGTERM, as Kubernetes does when it stops a pod.</summary>
    public void Terminate()
    {
        if (NativeSignals.Kill(_process.Id, NativeSignals.SigTerm) != 0 && !_process.HasExited)
            throw new InvalidOperationException($"kill(SIGTERM) on {Service} (pid {_process.Id}) failed.");
    }

    /// <summary>Waits for the process to exit and for its output to be fully read; throws on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Service} (pid {_process.Id}) did not exit within {timeout}.\n{Transcript}");
        }
        await Task.WhenAny(Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task), Task.Delay(TimeSpan.FromSeconds(2)));
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        Running.TryRemove(_process, out _);
        _process.Dispose();
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null)
        {
            (isError ? _stderrClosed : _stdoutClosed).TrySetResult();
            return;
        }
        List<(TaskCompletionSource<Match> Done, Match Match)> matched = [];
        lock (_gate)
        {
            (isError ? _stderr : _stdout).Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                var m = _waiters[i].Pattern.Match(line);
                if (!m.Success)
                    continue;
                matched.Add((_waiters[i].Done, m));
                _waiters.RemoveAt(i);
            }
        }
        foreach (var (done, match) in matched)
            done.TrySetResult(match);
    }

    [GeneratedRegex(@"listening on https?://[^\s""]*:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
