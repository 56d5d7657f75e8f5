using System.Reflection;
using Beacon.Benchmarks;

// Usage: Beacon.Benchmarks --docs docs/benchmarks.md [name ...]
// Runs the named suites (all when none are named) and rewrites each suite's section of the docs file.
var docs = "docs/benchmarks.md";
var names = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--docs" && i + 1 < args.Length) { docs = args[++i]; }
    else if (!string.IsNullOrWhiteSpace(args[i])) { names.AddRange(args[i].Split(',', StringSplitOptions.RemoveEmptyEntries)); }
}

var suites = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(IBenchmarkSuite).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
    .Select(t => (IBenchmarkSuite)Activator.CreateInstance(t)!)
    .Where(s => names.Count == 0 || names.Contains(s.Name, StringComparer.OrdinalIgnoreCase))
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToList();
if (suites.Count == 0)
{
    Console.Error.WriteLine($"No benchmark suite matches '{string.Join(",", names)}'.");
    return 2;
}

foreach (var suite in suites)
{
    Console.WriteLine($"== {suite.Name}");
    var body = await suite.RunAsync(CancellationToken.None);
    var text = File.Exists(docs) ? await File.ReadAllTextAsync(docs) : "# Benchmarks\n";
    await File.WriteAllTextAsync(docs, BenchmarkDocument.ReplaceSection(text, suite.Name, body));
    Console.WriteLine(body);
}
return 0;
