using Beacon.Hosting.Health;

namespace Beacon.NodeAgent.Agent;

/// <summary>/readyz: ready once the agent has the desired state and has reconciled the kernel with it once.</summary>
public sealed class NodeAgentReadiness
{
    public ReadinessFlag Flag { get; } = new("nodeagent", "no desired state snapshot reconciled yet");
}
