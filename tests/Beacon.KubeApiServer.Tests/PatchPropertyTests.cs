using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.KubeApiServer.Tests;

/// <summary>Laws of the server's patch implementations, over random objects.</summary>
public sealed class PatchPropertyTests
{
    private static Gen<JsonObject> Objects =>
        from keys in Gen.SubListOf(new[] { "a", "b", "c", "d" })
        from values in Gen.ListOf(Gen.Choose(0, 9), keys.Count)
        from nested in Gen.Elements(true, false)
        select Build(keys, values, nested);

    private static JsonObject Build(IList<string> keys, IList<int> values, bool nested)
    {
        var result = new JsonObject();
        for (var i = 0; i < keys.Count; i++)
        {
            result[keys[i]] = nested && i == 0 ? new JsonObject { ["inner"] = values[i] } : values[i];
        }

        return result;
    }

    [Property(MaxTest = 200)]
    public Property Without_lists_a_strategic_merge_patch_is_a_merge_patch() =>
        Prop.ForAll(Objects.ToArbitrary(), Objects.ToArbitrary(), (target, patch) =>
            JsonNode.DeepEquals(StrategicMergePatch.Apply(target, patch), JsonMergePatch.Apply(target, patch)));

    [Property(MaxTest = 200)]
    public Property A_JSON_patch_that_adds_then_removes_a_field_is_the_identity() =>
        Prop.ForAll(Objects.ToArbitrary(), target =>
        {
            var patch = JsonNode.Parse("""[{"op":"add","path":"/added~1field","value":{"x":[1,2]}},{"op":"remove","path":"/added~1field"}]""");
            return JsonNode.DeepEquals(JsonPatch.Apply(target, patch), target);
        });

    [Property(MaxTest = 200)]
    public Property A_JSON_patch_replace_of_every_field_equals_a_merge_patch_setting_them() =>
        Prop.ForAll(Objects.ToArbitrary(), target =>
        {
            var operations = new JsonArray([.. target.Select(p => (JsonNode)new JsonObject { ["op"] = "replace", ["path"] = "/" + p.Key, ["value"] = 7 })]);
            var merge = new JsonObject([.. target.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)7))]);
            return JsonNode.DeepEquals(JsonPatch.Apply(target, operations), JsonMergePatch.Apply(target, merge));
        });

    [Fact]
    public void Strategic_merge_directives_delete_replace_and_retain_keys()
    {
        var target = JsonNode.Parse("""{"spec":{"ports":[{"port":80,"name":"a"},{"port":81,"name":"b"}],"x":1,"y":2},"metadata":{"finalizers":["f1","f2"]}}""")!.AsObject();

        StrategicMergePatch.Apply(target, JsonNode.Parse("""{"spec":{"ports":[{"port":90,"name":"c"},{"$patch":"replace"}]}}"""))["spec"]!["ports"]!.ToJsonString()
            .Should().Be("""[{"port":90,"name":"c"}]""");
        StrategicMergePatch.Apply(target, JsonNode.Parse("""{"spec":{"$retainKeys":["ports","y"],"y":3}}"""))["spec"]!.AsObject().Select(p => p.Key)
            .Should().Equal("ports", "y");
        StrategicMergePatch.Apply(target, JsonNode.Parse("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["f1"]}}"""))["metadata"]!["finalizers"]!.ToJsonString()
            .Should().Be("""["f2"]""");
        StrategicMergePatch.Apply(target, JsonNode.Parse("""{"spec":{"$patch":"delete"}}""")).ContainsKey("spec").Should().BeFalse();
    }

    [Theory]
    [InlineData("web", true)]
    [InlineData("a-1", true)]
    [InlineData("1a", false)]
    [InlineData("-a", false)]
    [InlineData("a_b", false)]
    [InlineData("\u00e9", false)]
    public void Service_names_follow_DNS_1035(string name, bool valid) =>
        (ObjectNameRules.Dns1035Label(name) is null).Should().Be(valid);

    [Theory]
    [InlineData("tier=web", "web", true)]
    [InlineData("tier!=web", null, true)]
    [InlineData("tier in (db, web)", "web", true)]
    [InlineData("tier notin (db)", "db", false)]
    [InlineData("!tier", "web", false)]
    [InlineData("tier", null, false)]
    public void Label_selectors_match_as_in_Kubernetes(string selector, string? tier, bool matches)
    {
        var labels = tier is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["tier"] = tier };
        LabelSelectorQuery.Parse(selector).Matches(labels).Should().Be(matches);
    }

    [Theory]
    [InlineData("=x")]
    [InlineData("in (a)")]
    [InlineData("Bad Key=x")]
    public void A_malformed_label_selector_is_a_bad_request(string selector) =>
        FluentActions.Invoking(() => LabelSelectorQuery.Parse(selector)).Should().Throw<ApiError>().Which.Code.Should().Be(400);
}
