namespace Beacon.Kube.Config;

/// <summary>
/// A token read from a file and re-read when the file changes: kubelet rotates projected service account tokens
/// by replacing the file, so a token cached forever would eventually be rejected.
/// </summary>
public sealed class FileBearerTokenSource : IBearerTokenSource
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private DateTime _lastWrite;
    private long _lastLength = -1;
    private string? _token;

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
                var info = new FileInfo(_path);
                if (info.Exists && (info.LastWriteTimeUtc != _lastWrite || info.Length != _lastLength))
                {
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

    private string ReadOrThrow()
    {
        if (!File.Exists(_path))
        {
            throw new KubeConfigException($"Token file '{_path}' does not exist.");
        }

        var info = new FileInfo(_path);
        _lastWrite = info.LastWriteTimeUtc;
        _lastLength = info.Length;
        var text = File.ReadAllText(_path).Trim();
        return text.Length == 0 ? throw new KubeConfigException($"Token file '{_path}' is empty.") : text;
    }
}
