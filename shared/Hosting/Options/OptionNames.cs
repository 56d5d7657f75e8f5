using System.Text;

namespace Beacon.Hosting.Options;

/// <summary>How option names are spelled on the command line and in the environment.</summary>
public static class OptionNames
{
    public const string EnvironmentPrefix = "BEACON_";

    /// <summary>"HeartbeatInterval" → "heartbeat-interval", "HTTPPort" → "http-port".</summary>
    public static string Kebab(string pascal)
    {
        ArgumentNullException.ThrowIfNull(pascal);
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0)
            {
                var prev = pascal[i - 1];
                var nextIsLower = i + 1 < pascal.Length && char.IsLower(pascal[i + 1]);
                if (char.IsLower(prev) || char.IsDigit(prev) || (char.IsUpper(prev) && nextIsLower))
                    sb.Append('-');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>Spelling-insensitive key: "--http-port", "Http:Port", "HTTP_PORT" and "http__port" all become "httpport".</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is '-' or ':' or '_')
                continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
