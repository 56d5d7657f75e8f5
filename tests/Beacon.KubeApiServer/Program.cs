using System.Globalization;
using Beacon.KubeApiServer;

// Standalone: dotnet run --project tests/Beacon.KubeApiServer -- --port 6443 [--bookmark-seconds 5] [--history 100000] [--token T] [--kubeconfig PATH]
var options = new KubeApiServerOptions();
string? kubeconfigPath = null;
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--port":
            options.Port = int.Parse(Value(), CultureInfo.InvariantCulture);
            break;
        case "--bookmark-seconds":
            options.BookmarkInterval = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture));
            break;
        case "--history":
            options.HistoryLimit = int.Parse(Value(), CultureInfo.InvariantCulture);
            break;
        case "--token":
            options.BearerTokens = [Value()];
            break;
        case "--kubeconfig":
            kubeconfigPath = Value();
            break;
        default:
            await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'. Usage: --port N [--bookmark-seconds S] [--history N] [--token T] [--kubeconfig PATH]");
            return 2;
    }
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
