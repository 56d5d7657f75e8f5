namespace Beacon.Contracts;

/// <summary>The agent's answer to <see cref="FailNodeRequest"/>, sent before it goes silent.</summary>
/// <param name="Accepted">False when the agent refuses (e.g. the request names another node).</param>
public sealed record FailNodeReply(string Node, bool Accepted, string Message);
