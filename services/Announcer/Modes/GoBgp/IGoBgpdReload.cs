namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>Tells the gobgpd that runs with a config file to re-read it.</summary>
public interface IGoBgpdReload
{
    /// <summary>Null when the signal went out, else why not (no such gobgpd, not allowed).</summary>
    string? Reload(string configPath);
}
