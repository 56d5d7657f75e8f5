using System.Text.RegularExpressions;

namespace Beacon.Benchmarks;

/// <summary>Rewrites one suite's section of docs/benchmarks.md between <c>&lt;!-- bench:NAME --&gt;</c> markers.</summary>
internal static partial class BenchmarkDocument
{
    public static string ReplaceSection(string document, string name, string body)
    {
        var begin = $"<!-- bench:{name} -->";
        var end = $"<!-- /bench:{name} -->";
        var block = $"{begin}\n{body.TrimEnd()}\n{end}";
        var pattern = new Regex(Regex.Escape(begin) + "[\\s\\S]*?" + Regex.Escape(end));
        return pattern.IsMatch(document)
            ? pattern.Replace(document, _ => block, 1)
            : document.TrimEnd() + "\n\n" + block + "\n";
    }
}
