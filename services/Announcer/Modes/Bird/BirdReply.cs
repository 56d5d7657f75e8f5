namespace Beacon.Announcer.Modes.Bird;

/// <summary>
/// BIRD's answer to one control-socket command: the code of the final line and every line's text.
/// Codes 0xxx report completion, 1xxx/2xxx table data, 8xxx runtime errors, 9xxx command parse errors.
/// </summary>
public sealed record BirdReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>Reconfigured (0003), in progress (0004) or queued behind a running one (0005).</summary>
    public bool IsReconfigured => Code is 3 or 4 or 5;

    public bool IsError => Code >= 8000;

    public string Text => string.Join('\n', Lines);
}
