using Beacon.Lab;
using Spectre.Console;

// beacon-lab up|down|status [--prefix P] [--configuration Release|Debug] [--manifests lab/seeds/NAME] [--native-nodeagent EXE] [--native-announcer EXE]
// beacon-lab backend --name NODE --ports 80,8080   (runs inside a node namespace; started by 'up')
var command = args.Length > 0 ? args[0] : "up";
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

var topology = new LabTopology(Option("prefix", LabTopology.Default.Prefix));
var paths = new LabPaths(LabPaths.FindRepositoryRoot(AppContext.BaseDirectory), topology);
var configuration = Option("configuration", "Release");
using var stop = new CancellationTokenSource();
// Piped into a log or CI, Spectre would assume 80 columns and colours; the table reads better wide and plain.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
    AnsiConsole.Console.Profile.Width = 160;
}

Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

switch (command)
{
    case "up":
    {
        // A seed's setup instead of the lab's own manifests (lab/seeds/README.md); the layer-2 ones run as they are.
        var observations = await new LabUp(topology, paths, configuration, Console.Out)
        {
            ManifestSource = Option("manifests", Path.Combine("lab", "manifests")),
            // The NativeAOT node components the images ship (artifacts/publish/nodeagent/Beacon.NodeAgent,
            // artifacts/publish/announcer/Beacon.Announcer) instead of the JIT builds.
            NativeServices = new[] { ("NodeAgent", "native-nodeagent"), ("Announcer", "native-announcer") }
                .Where(n => Option(n.Item2, "").Length > 0)
                .ToDictionary(n => n.Item1, n => Path.GetFullPath(Option(n.Item2, ""))),
        }.RunAsync(stop.Token);
        LabReport.Write(AnsiConsole.Console, observations);
        if (observations.Count == 0 || observations.Any(o => !o.Converged))
        {
            Console.Error.WriteLine($"Some services are not reachable from {topology.Client}, or not announced by every expected node; logs are in {paths.Logs}. Tear down with ./build.sh --target=LabDown.");
            return 1;
        }

        Console.WriteLine($"Lab is up. Manifests: {paths.Manifests} (edit them and the lab follows). Logs: {paths.Logs}.");
        Console.WriteLine($"Try: ip netns exec {topology.Client} curl http://<address>/   ·   ./build.sh --target=LabDown");
        return 0;
    }

    case "status":
    {
        var up = new LabUp(topology, paths, configuration, Console.Out);
        LabReport.Write(AnsiConsole.Console, await up.ObserveAllAsync(new LabProbe(topology)));
        return up.IsRunning() ? 0 : 1;
    }

    case "down":
        await LabTeardown.RunAsync(topology, paths);
        Console.WriteLine($"Lab '{topology.Prefix}' removed.");
        return 0;

    case "backend":
    {
        var ports = Option("ports", "80").Split(',').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await LabBackend.RunAsync(Option("name", Environment.MachineName), ports, stop.Token);
        return 0;
    }

    default:
        Console.Error.WriteLine($"unknown command '{command}': use up, down, status or backend");
        return 2;
}
