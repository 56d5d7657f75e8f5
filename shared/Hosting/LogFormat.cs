namespace Beacon.Hosting;

/// <summary>How log lines are written to standard output.</summary>
public enum LogFormat
{
    /// <summary>Readable text on a terminal, JSON otherwise.</summary>
    Auto,

    /// <summary>One compact JSON object per line (CLEF from Serilog.Formatting.Compact, with @l and @m always present).</summary>
    Json,

    /// <summary>Readable single-line text.</summary>
    Text,
}
