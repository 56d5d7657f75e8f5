using System.CommandLine;
using Beacon.Allocator.Formats.Import;

namespace Beacon.Ctl.Commands;

/// <summary>
/// beaconctl import: converts MetalLB resources (and MetalLB's legacy ConfigMap, and every other format the Allocator
/// reads) into purelb.io/v1 ServiceGroups, printed as YAML or written one file per group. Offline: no NATS needed.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CtlContext context)
    {
        var paths = new Argument<string[]>("paths") { Description = "Manifest files or directories (*.yaml, *.yml, searched recursively)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "Write one file per ServiceGroup into this directory instead of printing" };
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace of the ServiceGroups written", DefaultValueFactory = _ => "beacon-system" };
        var command = new Command("import", "Convert MetalLB (IPAddressPool, advertisements, peers, legacy ConfigMap) manifests into Beacon ServiceGroups; "
                                            + "what has no ServiceGroup equivalent is kept as comments") { paths, output, ns };
        command.SetAction(async (parse, ct) =>
        {
            var files = new List<(string, string)>();
            foreach (var path in parse.GetValue(paths) ?? [])
            {
                if (Directory.Exists(path))
                {
                    foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                                 .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                                 .Order(StringComparer.Ordinal))
                    {
                        files.Add((file, await File.ReadAllTextAsync(file, ct).ConfigureAwait(false)));
                    }
                }
                else if (File.Exists(path))
                {
                    files.Add((path, await File.ReadAllTextAsync(path, ct).ConfigureAwait(false)));
                }
                else
                {
                    await context.Error.WriteLineAsync($"beaconctl: {path}: no such file or directory").ConfigureAwait(false);
                    return CtlExitCodes.Usage;
                }
            }

            var result = ServiceGroupImport.Convert(files, parse.GetValue(ns) ?? "beacon-system");
            foreach (var problem in result.Problems)
            {
                await context.Error.WriteLineAsync("beaconctl: " + problem).ConfigureAwait(false);
            }

            if (parse.GetValue(output) is { } directory)
            {
                Directory.CreateDirectory(directory);
                foreach (var document in result.Documents)
                {
                    await File.WriteAllTextAsync(Path.Combine(directory, document.FileName),
                        string.Concat(document.Comments.Select(c => "# " + c + "\n")) + document.Yaml, ct).ConfigureAwait(false);
                }

                await context.Output.WriteLineAsync($"{result.Documents.Count} ServiceGroup(s) written to {directory}").ConfigureAwait(false);
            }
            else
            {
                await context.Output.WriteAsync(result.ToYaml()).ConfigureAwait(false);
            }

            return result.Problems.Any(p => !p.StartsWith("warning: ", StringComparison.Ordinal)) ? CtlExitCodes.NotConverted : CtlExitCodes.Ok;
        });
        return command;
    }
}
