using Beacon.Kube.Models;
using Beacon.Kube.Selectors;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.Kube.Tests;

public sealed class LabelQueryTests
{
    private static readonly string[] Keys = ["app", "tier", "purelb.io/group", "zone"];
    private static readonly string[] Values = ["web", "db", "a", "b-1", ""];

    private static Gen<Dictionary<string, string>> LabelSets =>
        from present in Gen.SubListOf(Keys)
        from values in Gen.ListOf(Gen.Elements(Values.Where(v => v.Length > 0)), present.Count)
        select present.Zip(values).ToDictionary(p => p.First, p => p.Second);

    private static Gen<LabelRequirement> Requirements =>
        from key in Gen.Elements(Keys)
        from op in Gen.Elements(Enum.GetValues<LabelOperator>())
        from count in Gen.Choose(1, 3)
        from values in Gen.ListOf(Gen.Elements(Values.Where(v => v.Length > 0)), count)
        select op switch
        {
            LabelOperator.Exists or LabelOperator.DoesNotExist => new LabelRequirement(key, op, []),
            LabelOperator.Equals or LabelOperator.NotEquals => new LabelRequirement(key, op, [values[0]]),
            _ => new LabelRequirement(key, op, values.Distinct().ToArray()),
        };

    [Property]
    public Property Parsing_the_printed_form_selects_exactly_the_same_label_sets()
    {
        var cases = from requirements in Gen.ListOf(Requirements, 3).Select(r => r.ToList())
                    from labels in LabelSets
                    select (requirements, labels);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var query = new LabelQuery(c.requirements);
            return LabelQuery.Parse(query.ToString()).Matches(c.labels) == query.Matches(c.labels);
        });
    }

    [Property]
    public Property MatchLabels_select_exactly_the_label_sets_that_contain_them()
    {
        var cases = from wanted in LabelSets
                    from labels in LabelSets
                    select (wanted, labels);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var query = LabelQuery.FromSelector(new LabelSelector { MatchLabels = c.wanted });
            var contained = c.wanted.All(p => c.labels.TryGetValue(p.Key, out var v) && v == p.Value);
            return query.Matches(c.labels) == contained;
        });
    }

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web,tier", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("tier in (db, cache)", true)]
    [InlineData("tier notin (db)", false)]
    [InlineData("missing notin (db)", true)]
    [InlineData("!missing", true)]
    [InlineData("!app", false)]
    [InlineData("", true)]
    public void String_selectors_follow_kubernetes_semantics(string selector, bool expected)
    {
        var labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "db" };

        LabelQuery.Parse(selector).Matches(labels).Should().Be(expected);
    }

    [Theory]
    [InlineData("app in (web", "no closing parenthesis")]
    [InlineData("app,,tier", "empty clause")]
    [InlineData("Bad Key=x", "not a valid label key")]
    [InlineData("app=-bad-", "not a valid label value")]
    [InlineData("app within (x)", "is not 'key in (...)'")]
    public void Invalid_selectors_are_rejected_with_the_reason(string selector, string reason)
    {
        LabelQuery.TryParse(selector, out _, out var error).Should().BeFalse();
        error.Should().Contain(reason).And.Contain(selector);
    }

    [Fact]
    public void Selector_objects_support_match_expressions_and_reject_bad_operators()
    {
        var selector = new LabelSelector
        {
            MatchLabels = new() { ["app"] = "web" },
            MatchExpressions = [new LabelSelectorRequirement { Key = "tier", Operator = "NotIn", Values = ["cache"] }, new LabelSelectorRequirement { Key = "zone", Operator = "DoesNotExist" }],
        };
        var query = LabelQuery.FromSelector(selector);

        query.Matches(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "db" }).Should().BeTrue();
        query.Matches(new Dictionary<string, string> { ["app"] = "web", ["zone"] = "1" }).Should().BeFalse();
        LabelQuery.FromSelector(null).Matches(null).Should().BeTrue();

        var bad = () => LabelQuery.FromSelector(new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "a", Operator = "Like" }] });
        bad.Should().Throw<FormatException>().WithMessage("*'Like'*In, NotIn, Exists, DoesNotExist*");
        var noValues = () => LabelQuery.FromSelector(new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "a", Operator = "In" }] });
        noValues.Should().Throw<FormatException>().WithMessage("*at least one value*");
    }
}
