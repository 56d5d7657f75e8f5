namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>Whether a process's arguments are a gobgpd reading a given config file (<c>-f FILE</c>, <c>--config-file=FILE</c>). Pure.</summary>
public static class GoBgpdCommandLine
{
    public static bool Reads(IReadOnlyList<string> arguments, string configPath)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(configPath);
        if (arguments.Count == 0 || Path.GetFileName(arguments[0]) != "gobgpd")
        {
            return false;
        }

        for (var i = 1; i < arguments.Count; i++)
        {
            var a = arguments[i];
            var file = a is "-f" or "--config-file" && i + 1 < arguments.Count ? arguments[i + 1]
                : a.StartsWith("--config-file=", StringComparison.Ordinal) ? a["--config-file=".Length..]
                : a.StartsWith("-f", StringComparison.Ordinal) && a.Length > 2 ? a[2..].TrimStart('=')
                : null;
            if (file is not null && Path.GetFullPath(file) == Path.GetFullPath(configPath))
            {
                return true;
            }
        }

        return false;
    }
}
