namespace Beacon.Hosting;

/// <summary>How log lines are written to standard output.</summary>
public enum LogFormat
{
    /// <summary>Readable text on a terminal, JSON otherwise.</summary>
    Auto,

    /// <summary>One compact JSON object per line (CLEF-style @t, @l, @m, @mt, @x keys).</summary>
    Json,

    /// <summary>Readable single-line text.</summary>
    Text,
}
