using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Tests.Controller;

/// <summary>Keeps every log line (with its exception) so a failing assertion can show what the loop reported.</summary>
internal sealed class CollectingLogger : ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");

    public override string ToString() => string.Join("\n", Lines);
}
