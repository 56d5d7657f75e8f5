using System.Text.Json.Nodes;
using Beacon.KubeApiServer;

namespace Beacon.KubeApiServer.Tests;

/// <summary>Counting in place (what the allocator benchmark polls) sees the same objects a copying read does.</summary>
public sealed class ObjectStoreCountTests
{
    private static readonly ApiResourceInfo Services = ApiResourceCatalog.ById("services");

    [Fact]
    public void Counts_the_objects_matching_without_changing_them()
    {
        var store = new ObjectStore(historyLimit: 100);
        foreach (var name in new[] { "a", "b", "c" })
        {
            store.Create(Services, "ns", new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = name },
                ["spec"] = new JsonObject { ["type"] = "LoadBalancer", ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
            });
        }

        store.Patch(Services, "ns", "b", new JsonObject
        {
            ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject { ["ingress"] = new JsonArray(new JsonObject { ["ip"] = "10.0.0.1" }) } },
        }, statusOnly: true);

        static bool Addressed(JsonObject s) => s["status"]?["loadBalancer"]?["ingress"] is JsonArray { Count: > 0 };

        store.Count(Services, Addressed).Should().Be(1);
        store.Count(Services, _ => true).Should().Be(3);
        store.All(Services).Count(Addressed).Should().Be(1);
    }
}
