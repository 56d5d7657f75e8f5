using Spectre.Console;

namespace Beacon.Ctl.Rendering;

/// <summary>A Spectre console over any writer: plain text (no colours, fixed width) when it is not a terminal, so output can be scripted and tested.</summary>
public static class CtlConsole
{
    public static IAnsiConsole Create(TextWriter writer, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 240;
        }

        return console;
    }
}
