using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Prxy.Typed.Generators.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
