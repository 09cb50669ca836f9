using BenchmarkDotNet.Running;

// Each area adds its benchmark classes to this assembly; pick them with --filter.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
