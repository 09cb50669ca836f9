using System.Diagnostics;
using System.Globalization;

namespace Prxy.Typed.Benchmarks.Kv;

/// <summary>
/// Per-call latency percentiles of RedisKvStore get/set (BenchmarkDotNet reports per-iteration means, not
/// per-call p99). Run: <c>dotnet run -c Release --project benchmarks/Prxy.Typed.Benchmarks -- kv-latency [calls]</c>.
/// </summary>
internal static class KvLatencyProbe
{
    public static async Task RunAsync(string[] args)
    {
        var calls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
        var configuration = Environment.GetEnvironmentVariable("PRXY_TEST_REDIS")
            ?? throw new InvalidOperationException("Set PRXY_TEST_REDIS=host:port to a running Redis.");
        await using var store = await RedisKvStore.ConnectAsync(new RedisKvOptions { Configuration = configuration });
        await store.SetAsync("latency:key", new string('x', 100));

        await MeasureAsync("warm-up", calls / 10, async () => await store.GetAsync("latency:key"));
        await MeasureAsync("RedisKvStore.GetAsync", calls, async () => await store.GetAsync("latency:key"));
        await MeasureAsync("RedisKvStore.SetAsync", calls, async () => await store.SetAsync("latency:set", "value", TimeSpan.FromMinutes(5)));
    }

    private static async Task MeasureAsync(string name, int calls, Func<Task> call)
    {
        var samples = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(samples);
        double At(double p) => samples[(int)Math.Min(calls - 1, Math.Ceiling(p * calls) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-24} calls={calls} p50={At(0.50):F1} µs p99={At(0.99):F1} µs max={samples[^1]:F1} µs"));
    }
}
