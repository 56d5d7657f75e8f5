using System.Globalization;
using System.Text.Json.Nodes;
using Beacon.KubeApiServer;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Beacon.KubeApiServer.Tests;

/// <summary>The invariant informers rely on: a list at version V plus the watch from V reproduces the current state.</summary>
public sealed class ObjectStorePropertyTests
{
    private static readonly ApiResourceInfo Services = ApiResourceCatalog.ById("services");

    private static Gen<(int Kind, string Name, string Label)> Operations =>
        from kind in Gen.Choose(0, 2)
        from name in Gen.Elements("a", "b", "c", "d")
        from label in Gen.Elements("x", "y", "z")
        select (kind, name, label);

    [Property]
    public Property List_then_watch_from_its_version_converges_to_the_current_state_without_gaps_or_repeats()
    {
        var cases = from operations in Gen.ListOf(Operations, 40).Select(o => o.ToList())
                    from cut in Gen.Choose(0, 40)
                    select (operations, cut);

        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var store = new ObjectStore(historyLimit: 1000);
            Dictionary<string, string>? listed = null;
            long listedAt = 0;
            for (var i = 0; i <= c.operations.Count; i++)
            {
                if (i == c.cut)
                {
                    var page = store.List(Services, null, LabelSelectorQuery.Everything, FieldQuery.Parse(null), null, null);
                    listed = page.Items.ToDictionary(StoredObject.Name, item => StoredObject.ResourceVersion(item)!);
                    listedAt = page.Version;
                }

                if (i < c.operations.Count)
                {
                    Apply(store, c.operations[i]);
                }
            }

            using var watch = store.Watch(Services, null, LabelSelectorQuery.Everything, FieldQuery.Parse(null), listedAt.ToString(CultureInfo.InvariantCulture));
            var last = listedAt;
            var ordered = true;
            while (watch.Lines.TryRead(out var line))
            {
                var version = StoredObject.Version(line.Object);
                ordered &= version > last;
                last = version;
                if (line.Type == "DELETED")
                {
                    listed!.Remove(StoredObject.Name(line.Object));
                }
                else
                {
                    listed![StoredObject.Name(line.Object)] = StoredObject.ResourceVersion(line.Object)!;
                }
            }

            var current = store.All(Services).ToDictionary(StoredObject.Name, item => StoredObject.ResourceVersion(item)!);
            return ordered && current.Count == listed!.Count && current.All(p => listed.TryGetValue(p.Key, out var v) && v == p.Value);
        });
    }

    private static void Apply(ObjectStore store, (int Kind, string Name, string Label) operation)
    {
        try
        {
            switch (operation.Kind)
            {
                case 0:
                    store.Create(Services, "ns", new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["name"] = operation.Name },
                        ["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
                    });
                    break;
                case 1:
                    store.Patch(Services, "ns", operation.Name, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["l"] = operation.Label } } }, statusOnly: false);
                    break;
                default:
                    store.Delete(Services, "ns", operation.Name);
                    break;
            }
        }
        catch (ApiError error) when (error.Code is 404 or 409)
        {
            // Creating what exists or touching what does not: part of the random walk.
        }
    }
}
