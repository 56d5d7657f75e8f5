namespace Beacon.Benchmarks.Scale;

/// <summary>When each stage of one change was complete, measured from the manifest write (null: not within the timeout).</summary>
internal sealed class StageTimes
{
    private readonly Dictionary<string, TimeSpan?> _stages = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, TimeSpan?> Stages => _stages;

    /// <summary>CPU seconds each group of lab processes used from the write until the last stage was measured.</summary>
    public Dictionary<string, double> CpuSeconds { get; } = new(StringComparer.Ordinal);

    public void Set(string stage, TimeSpan? at)
    {
        lock (_stages)
        {
            _stages[stage] = at;
        }
    }

    public TimeSpan? Get(string stage)
    {
        lock (_stages)
        {
            return _stages.GetValueOrDefault(stage);
        }
    }
}
