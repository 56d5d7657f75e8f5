namespace Beacon.NodeAgent.Lab;

/// <summary>How a lab fail-node request kills this node; a port so the responder can be tested without dying.</summary>
public interface INodeDeath
{
    /// <summary>Makes the node look dead to peers and clients. Does not return in production.</summary>
    Task DieAsync(string reason);
}
