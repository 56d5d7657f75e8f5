using Beacon.Ctl;

return await BeaconctlApp.RunAsync(args, Console.Out, Console.Error, Environment.GetEnvironmentVariables(), terminal: !Console.IsOutputRedirected);
