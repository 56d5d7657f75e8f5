using System.Text.Json.Nodes;
using Beacon.Allocator.Manifests;

namespace Beacon.Allocator.Tests.Manifests;

public sealed class OpenApiSchemaValidatorTests
{
    private static readonly JsonNode Schema = JsonNode.Parse("""
        {
          "type": "object",
          "required": ["name"],
          "properties": {
            "name": { "type": "string", "pattern": "^[a-z]+$", "minLength": 2, "maxLength": 5 },
            "mode": { "type": "string", "enum": ["a", "b"] },
            "count": { "type": "integer", "minimum": 1, "maximum": 3 },
            "tags": { "type": "array", "minItems": 1, "maxItems": 2, "items": { "type": "string" } },
            "labels": { "type": "object", "additionalProperties": { "type": "string" } },
            "free": { "type": "object", "x-kubernetes-preserve-unknown-fields": true },
            "closed": { "type": "object", "additionalProperties": false },
            "when": { "type": "string", "format": "date-time" },
            "source": {
              "type": "object",
              "oneOf": [ { "required": ["x"] }, { "required": ["y"] } ],
              "properties": { "x": { "type": "boolean" }, "y": { "type": "boolean" } }
            }
          }
        }
        """)!;

    private static IEnumerable<string> Errors(string json) =>
        OpenApiSchemaValidator.Validate(Schema, JsonNode.Parse(json)).Select(v => v.ToString());

    [Fact]
    public void Accepts_a_value_that_follows_every_rule()
    {
        Errors("""{"name":"abc","mode":"a","count":2,"tags":["t"],"labels":{"k":"v"},"free":{"any":{"thing":1}},"when":"2024-01-02T03:04:05Z","source":{"x":true}}""")
            .Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{}""", "<root>: required field 'name' is missing")]
    [InlineData("""{"name":5}""", "name: must be a string, got 5")]
    [InlineData("""{"name":"ABC"}""", "name: 'ABC' does not match the pattern ^[a-z]+$")]
    [InlineData("""{"name":"a"}""", "name: must be at least 2 character(s) long")]
    [InlineData("""{"name":"abcdef"}""", "name: must be at most 5 character(s) long")]
    [InlineData("""{"name":"ab","mode":"c"}""", "mode: the string 'c' is not one of \"a\", \"b\"")]
    [InlineData("""{"name":"ab","count":0}""", "count: 0 is below the minimum 1")]
    [InlineData("""{"name":"ab","count":4}""", "count: 4 is above the maximum 3")]
    [InlineData("""{"name":"ab","count":1.5}""", "count: must be an integer, got 1.5")]
    [InlineData("""{"name":"ab","tags":[]}""", "tags: must have at least 1 item(s), has 0")]
    [InlineData("""{"name":"ab","tags":["a","b","c"]}""", "tags: must have at most 2 item(s), has 3")]
    [InlineData("""{"name":"ab","tags":[1]}""", "tags[0]: must be a string, got 1")]
    [InlineData("""{"name":"ab","labels":{"k":true}}""", "labels.k: must be a string, got true")]
    [InlineData("""{"name":"ab","closed":{"k":1}}""", "closed.k: unknown field")]
    [InlineData("""{"name":"ab","when":"yesterday"}""", "when: 'yesterday' is not an RFC 3339 date-time")]
    [InlineData("""{"name":"ab","source":{}}""", "source: must match exactly one of: {x} | {y}; it matches none")]
    [InlineData("""{"name":"ab","source":{"x":true,"y":true}}""", "source: must match exactly one of: {x} | {y}; it matches 2")]
    public void Reports_each_broken_rule_with_its_path(string json, string expected)
    {
        Errors(json).Should().Equal(expected);
    }

    [Fact]
    public void Reports_unknown_fields_and_names_the_known_ones()
    {
        Errors("""{"name":"ab","nmae":"x"}""").Should().ContainSingle()
            .Which.Should().StartWith("nmae: unknown field (known fields: name, mode, count");
    }

    [Fact]
    public void Lists_schema_keywords_it_does_not_implement()
    {
        var schema = JsonNode.Parse("""{"type":"object","properties":{"a":{"type":"string","x-kubernetes-validations":[]}},"anyOf":[]}""")!;

        OpenApiSchemaValidator.UnsupportedKeywords(schema).Should().Equal("anyOf", "x-kubernetes-validations");
    }
}
