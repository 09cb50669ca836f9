using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Prxy.Typed.Benchmarks.Kv;

/// <summary>MemoryKvStore get/set against a bare ConcurrentDictionary (the floor): the cost of TTLs, limits and the async contract.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MemoryKvBenchmarks
{
    private const int Keys = 1024;
    private readonly ConcurrentDictionary<string, string> _dictionary = new(StringComparer.Ordinal);
    private readonly MemoryKvStore _store = new();
    private readonly string[] _keys = Enumerable.Range(0, Keys).Select(i => "bench:key:" + i).ToArray();
    private readonly TimeSpan _ttl = TimeSpan.FromMinutes(5);
    private int _next;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        foreach (var key in _keys)
        {
            _dictionary[key] = "value-" + key;
            await _store.SetAsync(key, "value-" + key, _ttl);
        }
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _store.DisposeAsync();

    private string NextKey() => _keys[_next++ & (Keys - 1)];

    [Benchmark(Baseline = true), BenchmarkCategory("Get")]
    public string? DictionaryGet() => _dictionary.TryGetValue(NextKey(), out var value) ? value : null;

    [Benchmark, BenchmarkCategory("Get")]
    public ValueTask<string?> MemoryKvGet() => _store.GetAsync(NextKey());

    [Benchmark(Baseline = true), BenchmarkCategory("Set")]
    public void DictionarySet() => _dictionary[NextKey()] = "value";

    [Benchmark, BenchmarkCategory("Set")]
    public ValueTask MemoryKvSetWithTtl() => _store.SetAsync(NextKey(), "value", _ttl);

    [Benchmark(Baseline = true), BenchmarkCategory("Increment")]
    public long DictionaryIncrement()
    {
        var key = NextKey();
        return long.Parse(_dictionary.AddOrUpdate(key, "1", static (_, old) => old.StartsWith('v') ? "1" : (long.Parse(old, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Benchmark, BenchmarkCategory("Increment")]
    public async ValueTask<long> MemoryKvIncrement() => (await _store.IncrementAsync("counter:" + (_next++ & (Keys - 1)), 1, _ttl)).Value;
}
