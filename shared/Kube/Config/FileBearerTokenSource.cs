namespace Beacon.Kube.Config;

/// <summary>
/// A token read from a file and re-read when the file changes, and at least every minute: kubelet rotates projected
/// service account tokens by swapping a symlinked directory, so a token cached forever would eventually be rejected.
/// </summary>
public sealed class FileBearerTokenSource : IBearerTokenSource
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private DateTime _lastWrite;
    private long _lastLength = -1;
    private string? _token;
    private long _lastReadTicks = Environment.TickCount64;

    /// <summary>Re-read at least this often even if the file looks unchanged (timestamps of symlinks can mislead).</summary>
    public static TimeSpan RefreshInterval { get; } = TimeSpan.FromMinutes(1);

    public FileBearerTokenSource(string path)
    {
        _path = path;
        _token = ReadOrThrow();
    }

    public string? GetToken()
    {
        lock (_gate)
        {
            try
            {
                var info = Resolve(_path);
                var stale = Environment.TickCount64 - _lastReadTicks > RefreshInterval.TotalMilliseconds;
                if (info.Exists && (stale || info.LastWriteTimeUtc != _lastWrite || info.Length != _lastLength))
                {
                    _lastReadTicks = Environment.TickCount64;
                    var text = File.ReadAllText(_path).Trim();
                    if (text.Length > 0)
                    {
                        _token = text;
                    }

                    _lastWrite = info.LastWriteTimeUtc;
                    _lastLength = info.Length;
                }
            }
            catch (IOException)
            {
                // Mid-rotation the file can briefly be unreadable; keep the previous token.
            }

            return _token;
        }
    }

    /// <summary>FileInfo of the file a symlink chain ends at: a link's own timestamps do not change on rotation.</summary>
    private static FileInfo Resolve(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target ? target : info;
    }

    private string ReadOrThrow()
    {
        if (!File.Exists(_path))
        {
            throw new KubeConfigException($"Token file '{_path}' does not exist.");
        }

        var info = Resolve(_path);
        _lastWrite = info.LastWriteTimeUtc;
        _lastLength = info.Length;
        var text = File.ReadAllText(_path).Trim();
        return text.Length == 0 ? throw new KubeConfigException($"Token file '{_path}' is empty.") : text;
    }
}
