// Benchmarks are added per area; each writes its table into docs/benchmarks.md through build.cake's Bench target.
return 0;
