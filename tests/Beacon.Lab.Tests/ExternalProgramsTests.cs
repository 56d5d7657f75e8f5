using System.Text.RegularExpressions;
using Beacon.TestSupport.Netns;
using Beacon.TestSupport.Processes;
using Xunit.Abstractions;

namespace Beacon.Lab.Tests;

/// <summary>
/// A fresh machine runs the suite green only if ./build.sh installs every program the code executes. These tests hold
/// build/external-programs.json to the source tree and to the machine: every program the code starts is declared,
/// every process start goes through <see cref="ExternalPrograms"/>, and each declared package is installed and
/// provides what it is declared for.
/// </summary>
public sealed partial class ExternalProgramsTests(ITestOutputHelper output)
{
    private static readonly string Root = Beacon.Lab.LabPaths.FindRepositoryRoot(AppContext.BaseDirectory);

    private static readonly string[] ScannedDirectories = ["tests", "lab", "bench", "services", "shared", "tools", "samples"];

    /// <summary>Where a program name appears as a string literal in a process start.</summary>
    private static readonly Regex[] ExecutedProgram =
    [
        HostOrNamespaceCommand(), // HostCommand.Run…Async("x"), ns.Exec…Async("x"), ExternalPrograms.Resolve/StartInfo("x")
        BackgroundStart(),        // BackgroundProcess.Start("x"), ns.Start("x") (not ServiceProcess.Start(serviceName))
        StartInNamespace(),       // lab.Start(ns, "x"), the lab's StartAsync(ns, name, "x")
        NamespaceExec(),          // "netns", "exec", NS, "x"
        ConfiguredExecutable(),   // services' VtyshPath/GobgpPath/… defaults
    ];

    [Fact]
    public void Every_program_the_code_executes_is_declared_with_its_debian_package()
    {
        var declaration = ExternalPrograms.Declaration;
        var found = ExecutedPrograms().ToList();
        output.WriteLine("executed: " + string.Join(" ", found.Select(f => f.Program).Distinct().Order(StringComparer.Ordinal)));

        // The scan itself must see the programs we know are executed, or a changed call shape would pass silently.
        found.Select(f => f.Program).Should().Contain(["ip", "ping", "arping", "curl", "bird", "birdc", "vtysh", "gobgp", "gobgpd", "keepalived", "kubectl", "sysctl", "env", "dotnet"]);
        var undeclared = found
            .Where(f => !declaration.Programs.ContainsKey(f.Program) && !declaration.Sdk.ContainsKey(f.Program))
            .Select(f => $"{f.Location} executes '{f.Program}', which {ProgramDeclaration.FileName} does not declare; add it with its Debian package");
        undeclared.Should().BeEmpty();
    }

    [Theory]
    [InlineData("""(await HostCommand.RunAsync("traceroute", "-n", target)).EnsureSuccess();""", "traceroute")]
    [InlineData("""await lab.Client.ExecAsync("mtr", "-c1", address);""", "mtr")]
    [InlineData("""var p = host.Start("socat", ["-", "TCP:1.2.3.4:80"]);""", "socat")]
    [InlineData("""lab.Start(lab.Nodes[node], "iperf3", "-s");""", "iperf3")]
    [InlineData("""await StartAsync(ns, "name", "haproxy", "-f", config);""", "haproxy")]
    [InlineData("""HostCommand.RunAsync("ip", ["netns", "exec", ns.Name, "nc", "-z", host]);""", "nc")]
    [InlineData("""var psi = new ProcessStartInfo(ExternalPrograms.Resolve("conntrack"));""", "conntrack")]
    [InlineData("""public string BirdcPath { get; set; } = "birdc";""", "birdc")]
    public void The_scan_finds_a_program_in_every_call_shape_that_starts_one(string line, string program) =>
        ProgramsIn(line).Should().Contain(program);

    [Theory]
    [InlineData("""await using var p = ServiceProcess.Start("Allocator", arguments);""")]
    [InlineData("""await lab.Client.ExecAsync("ping", "-c1", address);""")]
    [InlineData("""var psi = new ProcessStartInfo(ExternalPrograms.Resolve("ip"));""")]
    public void Declared_or_non_program_starts_are_not_flagged(string line) =>
        ProgramsIn(line).Where(p => !ExternalPrograms.Declaration.Programs.ContainsKey(p)).Should().BeEmpty();

    [Theory]
    [InlineData("""var psi = new ProcessStartInfo("traceroute") { UseShellExecute = false };""")]
    [InlineData("""using var p = Process.Start("sh", "-c true");""")]
    public void A_process_start_that_bypasses_the_declaration_is_flagged(string line) => UndeclaredStart().IsMatch(line).Should().BeTrue();

    [Fact]
    public void Tests_the_lab_and_benchmarks_start_processes_only_through_the_declared_programs()
    {
        var bypasses = SourceLines(["tests", "lab", "bench", "samples"])
            .Where(l => !l.File.EndsWith("ExternalPrograms.cs", StringComparison.Ordinal))
            .Where(l => UndeclaredStart().IsMatch(l.Text))
            .Select(l => $"{l.Location}: start it with ExternalPrograms.StartInfo/Resolve, HostCommand or BackgroundProcess: {l.Text.Trim()}");
        bypasses.Should().BeEmpty();
    }

    [Fact]
    public async Task Every_declared_package_is_installed_and_provides_what_it_is_declared_for()
    {
        // This machine as ./build.sh --target=Packages leaves it: each package installed (dpkg), each program in it.
        var declaration = ExternalPrograms.Declaration;
        var problems = new List<string>();
        foreach (var (program, packages) in declaration.Programs)
        {
            var files = new List<string>();
            var installed = new List<string>();
            foreach (var package in packages.Split('|').Where(p => p.Length > 0))
            {
                if (await Installed(package))
                {
                    installed.Add(package);
                    files.AddRange(await PackageFiles(package));
                }
            }

            if (installed.Count == 0)
            {
                problems.Add($"{program}: Debian package {packages} is not installed; run ./build.sh --target=Packages");
            }
            else if (!files.Any(f => Path.GetFileName(f) == program))
            {
                problems.Add($"{program}: the installed package {string.Join("/", installed)} ships no file named {program}; fix its package in {ProgramDeclaration.FileName}");
            }
            else
            {
                ExternalPrograms.Resolve(program).Should().NotBeNullOrEmpty();
            }
        }

        foreach (var (package, files) in declaration.Libraries)
        {
            if (!await Installed(package))
            {
                problems.Add($"library package {package} is not installed; run ./build.sh --target=Packages");
            }
            else if (!files.Intersect(await PackageFiles(package)).Any())
            {
                problems.Add($"library package {package} ships none of {string.Join(", ", files)}; fix it in {ProgramDeclaration.FileName}");
            }
        }

        problems.Should().BeEmpty();
    }

    private static async Task<bool> Installed(string package)
    {
        var status = await HostCommand.RunAsync("dpkg-query", "-W", "-f=${db:Status-Status}", package);
        return status.Succeeded && status.StandardOutput.Trim() == "installed";
    }

    private static async Task<IReadOnlyList<string>> PackageFiles(string package) =>
        (await HostCommand.RunCheckedAsync("dpkg-query", "-L", package)).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static IEnumerable<(string Program, string Location)> ExecutedPrograms() =>
        from line in SourceLines(ScannedDirectories)
        from program in ProgramsIn(line.Text)
        select (program, line.Location);

    private static IEnumerable<string> ProgramsIn(string line) =>
        from pattern in ExecutedProgram
        from Match match in pattern.Matches(line)
        select Path.GetFileName(match.Groups["p"].Value);

    private static IEnumerable<(string File, string Text, string Location)> SourceLines(IEnumerable<string> directories) =>
        from directory in directories
        where Directory.Exists(Path.Combine(Root, directory))
        from file in Directory.EnumerateFiles(Path.Combine(Root, directory), "*.cs", SearchOption.AllDirectories)
        let relative = Path.GetRelativePath(Root, file)
        where !relative.Contains("/obj/", StringComparison.Ordinal) && !relative.Contains("/bin/", StringComparison.Ordinal)
        where !relative.EndsWith("ExternalProgramsTests.cs", StringComparison.Ordinal) && !relative.EndsWith("ProgramDeclarationTests.cs", StringComparison.Ordinal)
        from numbered in File.ReadLines(file).Select((text, index) => (text, index))
        select (relative, numbered.text, $"{relative}:{numbered.index + 1}");

    [GeneratedRegex("""(?:HostCommand\.Run(?:Checked)?Async|\.Exec(?:Checked)?Async|ExternalPrograms\.(?:StartInfo|Resolve))\(\s*"(?<p>[^"{}\s-][^"{}\s]*)"[,)]""")]
    private static partial Regex HostOrNamespaceCommand();

    [GeneratedRegex("""(?<!ServiceProcess)\.Start\(\s*"(?<p>[^"{}\s-][^"{}\s]*)"\s*,""")]
    private static partial Regex BackgroundStart();

    [GeneratedRegex("""\bStart(?:Async)?\(\s*[\w.]+(?:\[\w+\])?\s*,\s*(?:(?:"[^"]*"|[\w.$"{}()-]+)\s*,\s*)?"(?<p>[^"{}\s-][^"{}\s]*)"\s*,""")]
    private static partial Regex StartInNamespace();

    [GeneratedRegex("""
        "netns",\s*"exec",\s*[^,]+,\s*"(?<p>[^"{}\s-][^"{}\s]*)"
        """)]
    private static partial Regex NamespaceExec();

    [GeneratedRegex("""Path\s*\{\s*get;\s*set;\s*\}\s*=\s*"(?<p>[^"/{}\s]+)";""")]
    private static partial Regex ConfiguredExecutable();

    [GeneratedRegex("""(?<![\w.])Process\.Start\(\s*"|new\s+ProcessStartInfo\((?!\s*(?:ExternalPrograms\.Resolve\(|NatsServerBinary\.Path))""")]
    private static partial Regex UndeclaredStart();
}
