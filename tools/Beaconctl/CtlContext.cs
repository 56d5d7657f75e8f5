using System.Collections;
using System.CommandLine;
using Beacon.Ctl.Rendering;
using Spectre.Console;

namespace Beacon.Ctl;

/// <summary>What every command needs: the NATS options, where to write, the environment. Tests pass their own writers.</summary>
public sealed class CtlContext(NatsCommandLine nats, TextWriter output, TextWriter error, IDictionary environment, bool terminal)
{
    public NatsCommandLine Nats { get; } = nats;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public IAnsiConsole Console { get; } = CtlConsole.Create(output, terminal);

    /// <summary>Connects, runs <paramref name="body"/>, and turns a <see cref="CtlFailure"/> into one line on stderr and its exit code.</summary>
    public async Task<int> RunAsync(ParseResult parse, TimeSpan connectTimeout, Func<CtlSession, Task<int>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await using var session = await CtlSession.ConnectAsync(Nats.Resolve(parse, environment), connectTimeout, cancellationToken).ConfigureAwait(false);
            return await body(session).ConfigureAwait(false);
        }
        catch (CtlFailure e)
        {
            await Error.WriteLineAsync("beaconctl: " + e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (ArgumentException e)
        {
            // E.g. events --subject with a space or an empty token: the bus rejects it before anything is sent.
            await Error.WriteLineAsync("beaconctl: " + e.Message).ConfigureAwait(false);
            return CtlExitCodes.Usage;
        }
    }
}
