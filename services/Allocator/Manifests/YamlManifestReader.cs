using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Beacon.Allocator.Manifests;

/// <summary>
/// Reads multi-document YAML into JSON trees, the way kubectl does before sending objects to the API server:
/// plain scalars become booleans, numbers or null by the YAML 1.2 core schema, quoted scalars stay strings.
/// Anchors and aliases are expanded. A syntax error ends the file (YAML cannot be resynchronised reliably) but the
/// documents before it are kept.
/// </summary>
internal static class YamlManifestReader
{
    public static ManifestParseResult Read(string source, string text)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(text);
        var documents = new List<ManifestDocument>();
        var problems = new List<ManifestProblem>();
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out var start))
            {
                var state = new DocumentState();
                JsonNode? root = null;
                if (!parser.TryConsume<DocumentEnd>(out _))
                {
                    root = ReadNode(parser, state, string.Empty);
                    parser.Consume<DocumentEnd>();
                }

                if (root is not null)
                {
                    documents.Add(new ManifestDocument(source, state.Lines.GetValueOrDefault(string.Empty, (int)start.Start.Line), root, state.Lines));
                }
            }
        }
        catch (YamlException e)
        {
            problems.Add(new ManifestProblem(source, (int)e.Start.Line, "invalid YAML: " + FirstLine(e.InnerException?.Message ?? e.Message)));
        }
        catch (ManifestSyntaxException e)
        {
            problems.Add(new ManifestProblem(source, e.Line, e.Message));
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this for some malformed flow collections instead of a YamlException.
            problems.Add(new ManifestProblem(source, (int)(parser.Current?.End.Line ?? 0), "invalid YAML: " + FirstLine(e.Message)));
        }

        return new ManifestParseResult(documents, problems);
    }

    private static string FirstLine(string message)
    {
        var cut = message.IndexOf('\n', StringComparison.Ordinal);
        return (cut < 0 ? message : message[..cut]).Trim();
    }

    private static JsonNode? ReadNode(IParser parser, DocumentState state, string path)
    {
        var current = parser.Current ?? throw new ManifestSyntaxException(0, "unexpected end of YAML");
        state.Lines.TryAdd(path, (int)current.Start.Line);
        switch (current)
        {
            case AnchorAlias alias:
                parser.MoveNext();
                if (!state.Anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new ManifestSyntaxException((int)alias.Start.Line, $"alias *{alias.Value.Value} refers to no anchor");
                }

                return target?.DeepClone();
            case Scalar scalar:
                parser.MoveNext();
                var value = ScalarValue(scalar);
                Remember(state, scalar.Anchor, value);
                return value;
            case SequenceStart sequenceStart:
            {
                parser.MoveNext();
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(ReadNode(parser, state, $"{path}[{array.Count}]"));
                }

                Remember(state, sequenceStart.Anchor, array);
                return array;
            }

            case MappingStart mappingStart:
            {
                parser.MoveNext();
                var obj = new JsonObject();
                var fromMerge = new HashSet<string>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyEvent = parser.Current;
                    if (keyEvent is not Scalar key)
                    {
                        throw new ManifestSyntaxException((int)(keyEvent?.Start.Line ?? 0), "only plain keys are supported in manifests");
                    }

                    parser.MoveNext();
                    if (key.Value == "<<")
                    {
                        // Merge key: copy the referenced mapping's entries that are not set explicitly.
                        if (ReadNode(parser, state, path) is JsonObject merged)
                        {
                            foreach (var (k, v) in merged)
                            {
                                if (!obj.ContainsKey(k))
                                {
                                    obj[k] = v?.DeepClone();
                                    fromMerge.Add(k);
                                }
                            }
                        }

                        continue;
                    }

                    var childPath = path + "." + key.Value;
                    if (obj.ContainsKey(key.Value) && !fromMerge.Remove(key.Value))
                    {
                        throw new ManifestSyntaxException((int)key.Start.Line, $"key '{key.Value}' appears twice in the same mapping");
                    }

                    obj[key.Value] = ReadNode(parser, state, childPath);
                }

                Remember(state, mappingStart.Anchor, obj);
                return obj;
            }

            default:
                throw new ManifestSyntaxException((int)current.Start.Line, $"unexpected YAML element {current.GetType().Name}");
        }
    }

    private static void Remember(DocumentState state, AnchorName anchor, JsonNode? value)
    {
        if (!anchor.IsEmpty)
        {
            state.Anchors[anchor.Value] = value;
        }
    }

    private static JsonNode? ScalarValue(Scalar scalar)
    {
        if (scalar.Style is not ScalarStyle.Plain || (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return JsonValue.Create(scalar.Value);
        }

        var text = scalar.Value;
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (text.Length > 0 && (char.IsDigit(text[0]) || text[0] is '-' or '+' or '.')
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    private sealed class DocumentState
    {
        public Dictionary<string, int> Lines { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, JsonNode?> Anchors { get; } = new(StringComparer.Ordinal);
    }
}
