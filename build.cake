// Beacon build script. Targets: Restore, Build, Test, Bench, Manifests, Publish, Images (Lab and LabDown join with the lab).
using System.Xml.Linq;

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var filter = Argument("filter", "");           // optional dotnet test --filter expression
var projects = Argument("projects", "");       // optional comma-separated test project names
var hangTimeout = Argument("hang-timeout", "20m"); // a test project silent this long is killed and counted as failed
var solution = "./Suite.sln";
var resultsDir = MakeAbsolute(Directory("./artifacts/test-results"));

// Every external program (and run-time library) that a test, the lab or a benchmark uses, with its Debian package, is
// declared once in build/external-programs.json; the tests refuse undeclared programs (ExternalPrograms) and check the
// source against it (ExternalProgramsTests). Packages installs exactly the declared packages that dpkg does not show.
var externalPrograms = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText("build/external-programs.json")).RootElement;
var declaredPackages = externalPrograms.GetProperty("programs").EnumerateObject().Select(p => p.Value.GetString())
    .Concat(externalPrograms.GetProperty("libraries").EnumerateObject().Select(p => p.Name))
    .Distinct().OrderBy(p => p, StringComparer.Ordinal).ToList();

bool DpkgInstalled(string package)
{
    var rc = StartProcess("dpkg-query", new ProcessSettings {
        Arguments = $"-W -f=${{db:Status-Status}} {package}", RedirectStandardOutput = true, RedirectStandardError = true, Silent = true },
        out IEnumerable<string> status);
    return rc == 0 && string.Concat(status).Trim() == "installed";
}

// "a|b": either package satisfies the declaration; the first is the one to install.
bool Satisfied(string declared) => declared.Split('|').Any(DpkgInstalled);

Task("Packages")
    .Description("Install the Debian packages declared in build/external-programs.json, when dpkg does not show them installed.")
    .Does(() =>
{
    var missing = declaredPackages.Where(p => !Satisfied(p)).Select(p => p.Split('|')[0]).ToList();
    if (missing.Count == 0) { Information($"All {declaredPackages.Count} declared packages are installed."); return; }
    Information($"Installing Debian packages: {string.Join(" ", missing)}");
    var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
    if (StartProcess("apt-get", new ProcessSettings { Arguments = "update -qq", EnvironmentVariables = env }) != 0)
        throw new Exception("apt-get update failed");
    var rc = StartProcess("apt-get", new ProcessSettings {
        Arguments = $"install -y -qq --no-install-recommends {string.Join(" ", missing)}", EnvironmentVariables = env });
    if (rc != 0) throw new Exception($"apt-get install {string.Join(" ", missing)} failed with {rc}");
    var still = declaredPackages.Where(p => !Satisfied(p)).ToList();
    if (still.Count > 0) throw new Exception($"still not installed after apt-get: {string.Join(" ", still)}");
    // The Debian units start daemons we drive ourselves inside namespaces; keep the host copies quiet.
    foreach (var unit in new[] { "bird", "frr", "gobgpd", "keepalived", "nats-server" })
        StartProcess("sh", new ProcessSettings { Arguments = $"-c \"systemctl disable --now {unit} >/dev/null 2>&1 || service {unit} stop >/dev/null 2>&1 || true\"", Silent = true });
    Information($"All {declaredPackages.Count} declared packages are installed.");
});

Task("Restore").Does(() => DotNetRestore(solution));

Task("Build")
    .IsDependentOn("Restore")
    .Does(() => DotNetBuild(solution, new DotNetBuildSettings {
        Configuration = configuration, NoRestore = true,
        MSBuildSettings = new DotNetMSBuildSettings().WithProperty("TreatWarningsAsErrors", "true") }));

Task("Manifests")
    .Description("Render every kustomize overlay under k8s/ into artifacts/manifests.")
    .Does(() =>
{
    var outDir = MakeAbsolute(Directory("./artifacts/manifests"));
    EnsureDirectoryExists(outDir);
    var roots = new List<string> { "k8s" };
    if (DirectoryExists("k8s/overlays"))
        roots.AddRange(GetSubDirectories("k8s/overlays").Select(d => "k8s/overlays/" + d.GetDirectoryName()));
    foreach (var root in roots.Where(r => FileExists(r + "/kustomization.yaml")))
    {
        var file = outDir.CombineWithFilePath(root.Replace('/', '_') + ".yaml");
        var rc = StartProcess("sh", new ProcessSettings { Arguments = $"-c \"kubectl kustomize {root} > {file.FullPath}\"" });
        if (rc != 0) throw new Exception($"kubectl kustomize {root} failed");
        Information($"rendered {root} -> {file}");
    }
});

Task("Test")
    .IsDependentOn("Packages")
    .IsDependentOn("Build")
    .Does(() =>
{
    CleanDirectory(resultsDir);
    var wanted = projects.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
    var testProjects = GetFiles("./tests/**/*.Tests.csproj")
        .Where(p => wanted.Count == 0 || wanted.Contains(p.GetFilenameWithoutExtension().FullPath))
        .OrderBy(p => p.FullPath).ToList();
    var crashed = new List<string>();
    foreach (var project in testProjects)
    {
        var name = project.GetFilenameWithoutExtension().FullPath;
        var settings = new DotNetTestSettings {
            Configuration = configuration, NoBuild = true, NoRestore = true,
            ResultsDirectory = resultsDir, Loggers = new[] { $"trx;LogFileName={name}.trx", "console;verbosity=normal" },
            Filter = string.IsNullOrEmpty(filter) ? null : filter,
            // A hung test must not stall CI: its host is killed (no dump) and the project counts as failed.
            ArgumentCustomization = args => args.Append("--blame-hang-timeout").Append(hangTimeout).Append("--blame-hang-dump-type").Append("none"),
        };
        try { DotNetTest(project.FullPath, settings); }
        catch (Exception e) { Warning($"{name}: {e.Message}"); if (!FileExists(resultsDir.CombineWithFilePath(name + ".trx"))) crashed.Add(name); }
    }
    int passed = 0, failed = crashed.Count, skipped = 0;
    // CI keeps only the tail of the output, so every failure is named again next to the summary line.
    var failures = new List<string>();
    foreach (var trx in GetFiles(resultsDir.FullPath + "/*.trx"))
    {
        var doc = XDocument.Load(trx.FullPath);
        var counters = doc.Descendants().First(e => e.Name.LocalName == "Counters");
        int Count(string a) => int.TryParse(counters.Attribute(a)?.Value, out var v) ? v : 0;
        passed += Count("passed"); failed += Count("failed") + Count("error") + Count("timeout") + Count("aborted");
        skipped += Count("notExecuted");
        foreach (var result in doc.Descendants().Where(e => e.Name.LocalName == "UnitTestResult" && (string?)e.Attribute("outcome") != "Passed" && (string?)e.Attribute("outcome") != "NotExecuted"))
        {
            var message = result.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "";
            var firstLines = string.Join(" | ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(6));
            failures.Add($"FAILED {result.Attribute("testName")?.Value} ({result.Attribute("duration")?.Value}): {firstLines}");
        }
    }
    foreach (var c in crashed) failures.Add($"FAILED {c}: the test host crashed before writing results (counted as one failure)");
    var line = skipped > 0 ? $"{passed} passed, {failed} failed, {skipped} skipped" : $"{passed} passed, {failed} failed";
    var summary = string.Concat(failures.Select(f => f + "\n")) + line + "\n";
    Console.Write(summary);
    // build.sh prints this again after Cake's task table, so the plain line is the last one.
    System.IO.File.WriteAllText(resultsDir.CombineWithFilePath("summary.txt").FullPath, summary);
    if (failed > 0) throw new Exception(line);
});

// Bench publishes first: footprint, footprint-idle and bus run the NativeAOT executables (node components, the bus
// benchmark's replicas), as the nodes run them.
Task("Bench")
    .IsDependentOn("Packages")
    .IsDependentOn("Build")
    .IsDependentOn("Publish")
    .Description("Run the benchmark harness; it rewrites its sections of docs/benchmarks.md.")
    .Does(() =>
{
    var rc = StartProcess("dotnet", new ProcessSettings {
        Arguments = $"run -c {configuration} --no-build --project bench/Beacon.Benchmarks -- --docs {MakeAbsolute(File("docs/benchmarks.md"))} {Argument("bench", "")}" });
    if (rc != 0) throw new Exception($"benchmarks exited with {rc}");
});

// Publish: the node components (NodeAgent, Announcer) as NativeAOT executables, which needs the C toolchain declared in
// build/external-programs.json (clang, ld.lld, zlib1g-dev); the Allocator and beaconctl stay framework-dependent
// (docs/operations.md, "NativeAOT"). Output: artifacts/publish/<name>/. bench-replicas: the bus benchmark's replicas,
// published as the NodeAgent is (bench/Beacon.Bench.Replicas; the benchmark refuses to run without it).
Task("Publish")
    .Description("Publish NodeAgent, Announcer and the bus benchmark's replicas with NativeAOT into artifacts/publish/<name>.")
    .IsDependentOn("Packages")
    .Does(() =>
{
    foreach (var (name, project) in new[] { ("nodeagent", "services/NodeAgent/Beacon.NodeAgent.csproj"), ("announcer", "services/Announcer/Beacon.Announcer.csproj"),
        ("bench-replicas", "bench/Beacon.Bench.Replicas/Beacon.Bench.Replicas.csproj") })
        DotNetPublish(project, new DotNetPublishSettings {
            Configuration = configuration, Runtime = "linux-x64", OutputDirectory = $"artifacts/publish/{name}",
            MSBuildSettings = new DotNetMSBuildSettings().WithProperty("TreatWarningsAsErrors", "true") });
});

// Images: every component as an OCI archive under artifacts/images, built from Debian packages and the SDK's .NET
// runtime by images/build-images.sh (no registry or container runtime needed; docs/operations.md, "Images").
// The script installs its own Debian tools when missing (umoci, jq), so the test suite, which runs it too, needs no
// extra step. The node component images carry the NativeAOT executables: the script publishes them exactly as Publish
// does, into the same artifacts/publish/<name>, so whichever runs second finds MSBuild's NativeAOT compile up to date;
// Packages installs the NativeAOT toolchain (clang, ld.lld, zlib1g-dev) first, as for Publish.
Task("Images")
    .Description("Build every image in images/images.json into artifacts/images/<name>.tar (OCI archives).")
    .IsDependentOn("Packages")
    .Does(() =>
{
    var rc = StartProcess("bash", new ProcessSettings {
        Arguments = "images/build-images.sh",
        EnvironmentVariables = new Dictionary<string, string> { ["CONFIGURATION"] = configuration, ["IMAGES_ONLY"] = Argument("images", "") } });
    if (rc != 0) throw new Exception($"images/build-images.sh exited with {rc}");
});

// The lab: network namespaces as nodes, a BIRD router, a client, nats-server and all three services (docs/lab.md).
string LabTool() => $"lab/Beacon.Lab/bin/{configuration}/net10.0/beacon-lab.dll";

Task("Lab")
    .Description("Bring the network-namespace lab up and print what the client reaches (idempotent).")
    .IsDependentOn("Packages")
    .IsDependentOn("Build")
    .Does(() =>
{
    var rc = StartProcess("dotnet", new ProcessSettings { Arguments = $"{LabTool()} up --configuration {configuration}" });
    if (rc != 0) throw new Exception("the lab did not come up completely (see the table and the log lines above)");
});

Task("LabDown")
    .Description("Stop every lab process and remove every lab namespace and its state.")
    .Does(() =>
{
    if (!FileExists(LabTool())) { DotNetBuild("lab/Beacon.Lab/Beacon.Lab.csproj", new DotNetBuildSettings { Configuration = configuration }); }
    var rc = StartProcess("dotnet", new ProcessSettings { Arguments = $"{LabTool()} down" });
    if (rc != 0) throw new Exception("lab teardown failed");
});

RunTarget(target);
