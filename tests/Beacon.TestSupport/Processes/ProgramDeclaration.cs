using System.Text.Json;

namespace Beacon.TestSupport.Processes;

/// <summary>
/// The parsed <c>build/external-programs.json</c>: every external program tests, the lab and benchmarks execute, with
/// the Debian package providing it, and the run-time libraries by package. <see cref="Resolve"/> turns a program
/// name into the file to execute, or explains what to declare or install.
/// </summary>
public sealed class ProgramDeclaration
{
    public const string FileName = "build/external-programs.json";

    private ProgramDeclaration(
        IReadOnlyDictionary<string, string> programs, IReadOnlyDictionary<string, IReadOnlyList<string>> libraries,
        IReadOnlyDictionary<string, string> sdk, IReadOnlyList<string> searchPath)
    {
        Programs = programs;
        Libraries = libraries;
        Sdk = sdk;
        SearchPath = searchPath;
    }

    /// <summary>Program name → Debian package ("a|b": either package provides it).</summary>
    public IReadOnlyDictionary<string, string> Programs { get; }

    /// <summary>Debian package → files of which one must exist (a library loaded at run time).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Libraries { get; }

    /// <summary>Programs that come with the .NET SDK → how to get them.</summary>
    public IReadOnlyDictionary<string, string> Sdk { get; }

    /// <summary>Directories searched after PATH.</summary>
    public IReadOnlyList<string> SearchPath { get; }

    /// <summary>Every Debian package declared, as written (alternatives stay "a|b").</summary>
    public IReadOnlyList<string> Packages =>
        Programs.Values.Concat(Libraries.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static ProgramDeclaration Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ProgramDeclaration(
            Strings(root, "programs"),
            root.TryGetProperty("libraries", out var libraries)
                ? libraries.EnumerateObject().ToDictionary(p => p.Name, p => (IReadOnlyList<string>)p.Value.EnumerateArray().Select(f => f.GetString()!).ToList(), StringComparer.Ordinal)
                : new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal),
            Strings(root, "sdk"),
            root.TryGetProperty("searchPath", out var path) ? path.EnumerateArray().Select(d => d.GetString()!).ToList() : []);
    }

    /// <summary>
    /// The file to execute for <paramref name="program"/> (a name, or a path whose file name is declared). Throws when
    /// the program is not declared, or is declared but not installed, naming the package to install.
    /// </summary>
    public string Resolve(string program, Func<string, bool>? fileExists = null, string? pathVariable = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(program);
        fileExists ??= File.Exists;
        var name = Path.GetFileName(program);
        if (!Programs.TryGetValue(name, out var package) && !Sdk.ContainsKey(name))
        {
            throw new InvalidOperationException(
                $"program '{name}' is not declared in {FileName}; add it with its Debian package, so ./build.sh installs it on a fresh machine");
        }

        if (program.Contains('/', StringComparison.Ordinal))
        {
            return fileExists(program) ? program : throw NotInstalled(name, package, program);
        }

        var directories = (pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(SearchPath);
        return directories.Select(d => Path.Combine(d, name)).FirstOrDefault(fileExists) ?? throw NotInstalled(name, package, null);
    }

    /// <summary>Throws unless one of the files of library package <paramref name="package"/> exists; returns that file.</summary>
    public string RequireLibrary(string package, Func<string, bool>? fileExists = null)
    {
        fileExists ??= File.Exists;
        if (!Libraries.TryGetValue(package, out var files))
        {
            throw new InvalidOperationException($"library package '{package}' is not declared in {FileName}; add it with the file it provides");
        }

        return files.FirstOrDefault(fileExists)
            ?? throw new InvalidOperationException($"{package} is not installed ({string.Join(" or ", files)} missing): run ./build.sh (Debian package {package})");
    }

    private InvalidOperationException NotInstalled(string name, string? package, string? path) =>
        new(package is not null
            ? $"{name} is not installed{(path is null ? "" : $" at {path}")}: run ./build.sh (Debian package {package.Replace("|", " or ", StringComparison.Ordinal)})"
            : $"{name} is not installed{(path is null ? "" : $" at {path}")}: install {Sdk[name]}");

    private static Dictionary<string, string> Strings(JsonElement root, string property) =>
        root.TryGetProperty(property, out var element)
            ? element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
