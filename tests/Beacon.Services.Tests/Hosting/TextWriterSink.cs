using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Beacon.Services.Tests.Hosting;

/// <summary>Formats events into a writer, so tests read exactly what the console would get.</summary>
internal sealed class TextWriterSink(ITextFormatter formatter, TextWriter output) : ILogEventSink
{
    public void Emit(LogEvent logEvent) => formatter.Format(logEvent, output);
}
