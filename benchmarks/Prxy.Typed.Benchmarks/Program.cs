using BenchmarkDotNet.Running;

// Each area adds its benchmark classes to this assembly; pick them with --filter.
if (args is ["kv-latency", ..])
{
    await Prxy.Typed.Benchmarks.Kv.KvLatencyProbe.RunAsync(args);
    return;
}

if (args is ["vec-probe", ..])
{
    await Prxy.Typed.Benchmarks.Vectors.VectorScanProbe.RunAsync(args);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
