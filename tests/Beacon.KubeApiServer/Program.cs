using System.Globalization;
using Beacon.KubeApiServer;

// Standalone: dotnet run --project tests/Beacon.KubeApiServer -- --port 6443 [--bookmark-seconds 5] [--history 100000] [--token T]
var options = new KubeApiServerOptions();
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
        default:
            await Console.Error.WriteLineAsync($"Unknown argument '{args[i]}'. Usage: --port N [--bookmark-seconds S] [--history N] [--token T]");
            return 2;
    }
}

await using var server = await KubeApiTestServer.StartAsync(options);
Console.WriteLine($"Kubernetes test API server listening on {server.BaseAddress}");
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // Ctrl-C.
}

return 0;
