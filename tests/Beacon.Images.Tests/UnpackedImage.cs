using System.Text.Json.Nodes;
using Beacon.TestSupport.Netns;

namespace Beacon.Images.Tests;

/// <summary>
/// An image archive unpacked with umoci into a temporary root filesystem, and the command line that runs a program
/// from it the way a container runtime would, minus the runtime: a private mount and PID namespace, /proc and /dev,
/// the image's environment only, chroot into the root filesystem as the image's user. Disposing deletes it all.
/// </summary>
internal sealed class UnpackedImage : IDisposable
{
    private readonly string _directory;
    private readonly List<(string Source, string Target)> _sharedDirectories = [];

    private UnpackedImage(string directory, ImageDefinition image, JsonObject configuration)
    {
        _directory = directory;
        Image = image;
        var config = configuration["config"]!.AsObject();
        Entrypoint = Strings(config["Entrypoint"]);
        Command = Strings(config["Cmd"]);
        Environment = Strings(config["Env"]);
        User = config["User"]?.GetValue<string>() ?? "0:0";
    }

    public ImageDefinition Image { get; }

    public string RootFilesystem => Path.Combine(_directory, "bundle", "rootfs");

    public IReadOnlyList<string> Entrypoint { get; }

    public IReadOnlyList<string> Command { get; }

    public IReadOnlyList<string> Environment { get; }

    public string User { get; }

    public static async Task<UnpackedImage> UnpackAsync(ImageDefinition image)
    {
        var directory = Directory.CreateTempSubdirectory($"beacon-image-{image.Name}-").FullName;
        try
        {
            var layout = Directory.CreateDirectory(Path.Combine(directory, "layout")).FullName;
            (await HostCommand.RunAsync("tar", "-xf", image.Archive, "-C", layout)).EnsureSuccess();
            (await HostCommand.RunAsync("umoci", "unpack", "--image", $"{layout}:{image.Tag}", Path.Combine(directory, "bundle"))).EnsureSuccess();
            var unpacked = new UnpackedImage(directory, image, OciArchive.Read(image.Archive).Configuration);
            // Mount points a runtime would create.
            foreach (var mountPoint in new[] { "proc", "dev" })
                Directory.CreateDirectory(Path.Combine(unpacked.RootFilesystem, mountPoint));
            return unpacked;
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>The host command line running the entrypoint with <paramref name="arguments"/> (replacing Cmd).</summary>
    public IReadOnlyList<string> EntrypointCommandLine(params string[] arguments) => CommandLine([.. Entrypoint, .. arguments]);

    /// <summary>The host command line running <paramref name="command"/> in the image (as a pod's <c>command</c> replaces the entrypoint).</summary>
    public IReadOnlyList<string> CommandLine(IReadOnlyList<string> command) =>
    [
        "unshare", "--mount", "--pid", "--fork", "--kill-child", $"--mount-proc={RootFilesystem}/proc",
        "sh", "-c", string.Concat(_sharedDirectories.Select(d => $"mount --bind '{d.Source}' '{d.Target}' && "))
            + "mount --rbind /dev \"$0/dev\" && exec \"$@\"", RootFilesystem,
        "env", "-i", .. Environment,
        "/usr/sbin/chroot", $"--userspec={User}", RootFilesystem,
        .. command,
    ];

    /// <summary>Places a file inside the root filesystem (what a volume mount would provide).</summary>
    public void AddFile(string pathInImage, string content)
    {
        var path = Path.Combine(RootFilesystem, pathInImage.TrimStart('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    /// <summary>
    /// Mounts <paramref name="pathInImage"/> of <paramref name="other"/> over the same path here while a command runs:
    /// what one emptyDir mounted into two containers of a pod provides (sockets, a copied program).
    /// </summary>
    public void ShareDirectory(string pathInImage, UnpackedImage other)
    {
        var source = Directory.CreateDirectory(Path.Combine(other.RootFilesystem, pathInImage.TrimStart('/'))).FullName;
        var target = Directory.CreateDirectory(Path.Combine(RootFilesystem, pathInImage.TrimStart('/'))).FullName;
        _sharedDirectories.Add((source, target));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static List<string> Strings(JsonNode? array) => array is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];
}
