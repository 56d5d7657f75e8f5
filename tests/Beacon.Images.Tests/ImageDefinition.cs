namespace Beacon.Images.Tests;

/// <summary>One image of images/images.json: what the build produces and what manifests may name.</summary>
internal sealed record ImageDefinition(
    string Name, string Reference, string Tag, IReadOnlyList<string> Entrypoint, string User, IReadOnlyList<string> Capabilities, string? Project,
    bool NativeAot)
{
    public bool RunsAsRoot => User.Split(':')[0] == "0";

    public string Archive => Path.Combine(ImageCatalog.ArchiveDirectory, Name + ".tar");
}
