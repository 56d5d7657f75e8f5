using System.Diagnostics;

namespace Beacon.TestSupport.Processes;

/// <summary>
/// The one way tests, the lab and benchmarks start an external program: the name must be declared in
/// <c>build/external-programs.json</c> (embedded here) with its Debian package, which <c>./build.sh</c> installs.
/// An undeclared or missing program fails at once with what to add or install, not later with "file not found".
/// </summary>
public static class ExternalPrograms
{
    private static readonly Lazy<ProgramDeclaration> Loaded = new(Load);

    public static ProgramDeclaration Declaration => Loaded.Value;

    /// <summary>The file to execute for <paramref name="program"/>.</summary>
    public static string Resolve(string program) => Declaration.Resolve(program);

    /// <summary>The file of declared library package <paramref name="package"/> (e.g. libpcap0.8); throws naming the package when missing.</summary>
    public static string RequireLibrary(string package) => Declaration.RequireLibrary(package);

    /// <summary>A start description for <paramref name="program"/> (resolved), with its arguments, no shell.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string>? arguments = null)
    {
        var start = new ProcessStartInfo(Resolve(program)) { UseShellExecute = false };
        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>
    /// Resolves the program <c>ip netns exec NS PROGRAM …</c> runs inside a namespace, so that one is checked too;
    /// other argument lists are returned unchanged.
    /// </summary>
    public static IReadOnlyList<string> ResolveNamespaceExec(string program, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (Path.GetFileName(program) != "ip" || arguments.Count < 4 || arguments[0] != "netns" || arguments[1] != "exec")
        {
            return arguments;
        }

        return [.. arguments.Take(3), Resolve(arguments[3]), .. arguments.Skip(4)];
    }

    private static ProgramDeclaration Load()
    {
        using var stream = typeof(ExternalPrograms).Assembly.GetManifestResourceStream("external-programs.json")
            ?? throw new InvalidOperationException($"{ProgramDeclaration.FileName} is not embedded in Beacon.TestSupport");
        using var reader = new StreamReader(stream);
        return ProgramDeclaration.Parse(reader.ReadToEnd());
    }
}
