using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using StackExchange.Redis;

namespace Prxy.Typed.Benchmarks.Kv;

/// <summary>
/// RedisKvStore against the bare client (the floor) on a loopback Redis: one awaited call at a time (latency) and
/// 1,000 calls in flight at once (pipelined throughput). Redis address: <c>PRXY_TEST_REDIS</c>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RedisKvBenchmarks
{
    private const int Pipelined = 1000;
    private readonly TimeSpan _ttl = TimeSpan.FromMinutes(5);
    private readonly Task<string?>[] _storeGets = new Task<string?>[Pipelined];
    private readonly Task<RedisValue>[] _rawGets = new Task<RedisValue>[Pipelined];
    private ConnectionMultiplexer _raw = null!;
    private StackExchange.Redis.IDatabase _db = null!;
    private IKvStore _store = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var configuration = Environment.GetEnvironmentVariable("PRXY_TEST_REDIS")
            ?? throw new InvalidOperationException("Set PRXY_TEST_REDIS=host:port to a running Redis before running the Redis benchmarks.");
        _raw = await ConnectionMultiplexer.ConnectAsync(configuration);
        _db = _raw.GetDatabase();
        _store = await RedisKvStore.ConnectAsync(new RedisKvOptions { Configuration = configuration });
        await _store.SetAsync("bench:key", new string('x', 100), _ttl);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        await _raw.DisposeAsync();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Get")]
    public async Task<string?> ClientGet() => await _db.StringGetAsync("bench:key");

    [Benchmark, BenchmarkCategory("Get")]
    public ValueTask<string?> RedisKvGet() => _store.GetAsync("bench:key");

    [Benchmark(Baseline = true), BenchmarkCategory("Set")]
    public Task<bool> ClientSet() => _db.StringSetAsync("bench:set", "value", _ttl, When.Always);

    [Benchmark, BenchmarkCategory("Set")]
    public ValueTask RedisKvSet() => _store.SetAsync("bench:set", "value", _ttl);

    [Benchmark(Baseline = true, OperationsPerInvoke = Pipelined), BenchmarkCategory("Pipelined get x1000")]
    public async Task ClientPipelinedGet()
    {
        for (var i = 0; i < Pipelined; i++)
        {
            _rawGets[i] = _db.StringGetAsync("bench:key");
        }

        await Task.WhenAll(_rawGets);
    }

    [Benchmark(OperationsPerInvoke = Pipelined), BenchmarkCategory("Pipelined get x1000")]
    public async Task RedisKvPipelinedGet()
    {
        for (var i = 0; i < Pipelined; i++)
        {
            _storeGets[i] = _store.GetAsync("bench:key").AsTask();
        }

        await Task.WhenAll(_storeGets);
    }
}
