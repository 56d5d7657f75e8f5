namespace Beacon.DaprSubscriber;

/// <summary>
/// Which Dapr pub/sub component and topic to subscribe to (configuration section <c>Beacon</c>). The topic is a NATS
/// subject: Dapr's pubsub.jetstream component filters the Beacon stream on it.
/// </summary>
public sealed class SubscriberSettings
{
    public const string Section = "Beacon";

    /// <summary>metadata.name of the pubsub.jetstream component (components/pubsub-beacon.yaml).</summary>
    public string PubSubName { get; set; } = "beacon";

    /// <summary>Every Service's allocation events: <c>beacon.v1.allocations.&lt;namespace&gt;.&lt;service&gt;</c>.</summary>
    public string Topic { get; set; } = "beacon.v1.allocations.>";

    /// <summary>Problems an operator must fix before the subscriber can start; empty when the settings are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(PubSubName))
        {
            problems.Add($"{Section}:PubSubName is empty: give the metadata.name of the pubsub.jetstream component, e.g. beacon");
        }

        if (string.IsNullOrWhiteSpace(Topic) || Topic.Any(char.IsWhiteSpace))
        {
            problems.Add($"{Section}:Topic '{Topic}' is not a NATS subject: use beacon.v1.allocations.> (all Services) or beacon.v1.allocations.<namespace>.<service>");
        }

        return problems;
    }
}
