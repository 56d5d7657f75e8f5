using Beacon.DaprSubscriber;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection(SubscriberSettings.Section).Get<SubscriberSettings>() ?? new SubscriberSettings();
if (settings.Problems() is [_, ..] problems)
{
    throw new InvalidOperationException("Beacon.DaprSubscriber cannot start:\n  " + string.Join("\n  ", problems));
}

builder.Services.AddSingleton<AllocationView>();
var app = builder.Build();

// GET /dapr/subscribe: the sidecar asks it at start-up and subscribes to what .WithTopic declares.
app.MapSubscribeHandler();
app.MapPost(AllocationEventEndpoint.Route, AllocationEventEndpoint.HandleAsync).WithTopic(settings.PubSubName, settings.Topic);
// What the subscriber knows now: the effect of the events, for people and tests.
app.MapGet(AllocationEventEndpoint.Route, (AllocationView view) => view.Services);
await app.RunAsync();

/// <summary>Entry point; public so tests can host the app in memory (WebApplicationFactory).</summary>
public partial class Program;
