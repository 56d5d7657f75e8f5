namespace Beacon.Ipam;

/// <summary>What the engine remembers about a Service that holds (or held, in its status) addresses.</summary>
internal sealed class ServiceEntry
{
    public ServiceEntry(ServiceRequest request, ServiceIntent? intent)
    {
        Request = request;
        Intent = intent;
    }

    public ServiceRequest Request { get; set; }

    /// <summary>Null when restored from a Service whose request is invalid.</summary>
    public ServiceIntent? Intent { get; set; }

    public SharingProfile Sharing => Intent?.Sharing ?? SharingProfile.Exclusive;

    public List<NumericAddress> Held { get; } = new(2);

    /// <summary>Addresses in the Service's status that another, incompatible Service already held at restore.</summary>
    public List<StaleAddress> Conflicted => conflicted ??= [];

    public bool HasConflicts => conflicted is { Count: > 0 };

    private List<StaleAddress>? conflicted;
}
