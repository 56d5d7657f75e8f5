using System.Runtime.CompilerServices;
using Beacon.Contracts;
using Beacon.NodeAgent.Agent;

namespace Beacon.NodeAgent.Tests.Agent;

public sealed class StatusesReadTests
{
    [Fact]
    public void The_statuses_are_taken_once_and_the_input_keeps_nothing_of_them()
    {
        var (input, taken) = ReadAndTake();

        // The agent loop may hold the input for as long as it runs: what it read at start must not stay with it.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        taken.IsAlive.Should().BeFalse();
        input.Take().Should().BeEmpty();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (AgentInput.StatusesRead Input, WeakReference Taken) ReadAndTake()
    {
        var statuses = new List<NodeStatusReport> { new("node2", [], DateTimeOffset.UnixEpoch) };
        var input = new AgentInput.StatusesRead(statuses);
        input.Take().Should().BeSameAs(statuses);
        return (input, new WeakReference(statuses));
    }
}
