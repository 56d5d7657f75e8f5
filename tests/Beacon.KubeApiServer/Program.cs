using System.Globalization;
using Beacon.KubeApiServer;

// Standalone: dotnet run --project tests/Beacon.KubeApiServer -- --port 6443 [--bookmark-seconds 5] [--history 100000] [--token T] [--kubeconfig PATH]
const string Usage = "Usage: --port N [--bookmark-seconds S] [--history N] [--token T] [--kubeconfig PATH]";
var options = new KubeApiServerOptions();
string? kubeconfigPath = null;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        var name = args[i];
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
        switch (name)
        {
            case "--port":
                options.Port = Number(name, Value(), 0, 65535);
                break;
            case "--bookmark-seconds":
                options.BookmarkInterval = TimeSpan.FromSeconds(Number(name, Value(), 1, 3600));
                break;
            case "--history":
                options.HistoryLimit = Number(name, Value(), 1, int.MaxValue);
                break;
            case "--token":
                options.BearerTokens = [Value()];
                break;
            case "--kubeconfig":
                kubeconfigPath = Value();
                break;
            default:
                throw new ArgumentException($"Unknown argument '{name}'.");
        }
    }
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"{ex.Message} {Usage}");
    return 2;
}

await using var server = await KubeApiTestServer.StartAsync(options);
Console.WriteLine($"Kubernetes test API server listening on {server.BaseAddress}");
if (kubeconfigPath is not null)
{
    await File.WriteAllTextAsync(kubeconfigPath, server.CreateKubeconfig(options.BearerTokens?.FirstOrDefault()));
    Console.WriteLine($"Kubeconfig written to {kubeconfigPath}");
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl-C or SIGTERM.
}

return 0;

static int Number(string name, string text, int min, int max) =>
    int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
        ? value
        : throw new ArgumentException($"{name} must be a whole number from {min} to {max} (got '{text}').");
