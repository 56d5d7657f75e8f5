namespace Beacon.Announcer.Modes;

/// <summary>The modes this build of the Announcer offers: one registration line per mode.</summary>
public static class AnnouncerModeCatalog
{
    public static AnnouncerModeFactory CreateFactory() => new();
}
