using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Prxy.Typed.Testing;

namespace Prxy.Typed.IntegrationTests.Kv;

/// <summary>
/// A private redis-server is killed (<c>kill -9</c>) or frozen (<c>kill -STOP</c>) under a live store: every
/// call must return its documented fallback without stalling, and the same store must work again once the
/// server is back.
/// </summary>
public sealed class RedisKvStoreFaultTests
{
    // The configured bound is 250 ms; the assertion is generous so a busy machine does not make it flaky.
    private static readonly TimeSpan NoStall = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(20);

    [SkippableFact]
    public async Task A_killed_server_fails_every_call_open_and_the_store_recovers_after_restart()
    {
        await using var redis = await PrivateRedis.StartAsync();
        await using var store = await ConnectAsync(redis.Configuration);
        await store.SetAsync("k", "before");
        Assert.Equal("before", await store.GetAsync("k"));
        var lease = await store.TryLockAsync("held", TimeSpan.FromMinutes(1));
        Assert.NotNull(lease);

        redis.Kill();

        await AssertEveryCallFailsOpenAsync(store, lease);
        await redis.RestartAsync();
        await AssertRecoversAsync(store);
    }

    [SkippableFact]
    public async Task A_frozen_server_fails_every_call_open_and_the_store_recovers_after_it_resumes()
    {
        await using var redis = await PrivateRedis.StartAsync();
        await using var store = await ConnectAsync(redis.Configuration);
        await store.SetAsync("k", "before");
        var lease = await store.TryLockAsync("held", TimeSpan.FromMinutes(1));
        Assert.NotNull(lease);

        redis.Pause();

        await AssertEveryCallFailsOpenAsync(store, lease);
        redis.Resume();
        await AssertRecoversAsync(store);
        Assert.Equal("before", await store.GetAsync("k"));
    }

    [SkippableFact]
    public async Task A_store_opened_while_the_server_is_down_fails_open_and_connects_when_it_starts()
    {
        await using var redis = await PrivateRedis.StartAsync();
        redis.Kill();

        await using var store = await ConnectAsync(redis.Configuration);
        Assert.False(store.IsConnected);
        await AssertEveryCallFailsOpenAsync(store, lease: null);

        await redis.RestartAsync();
        await AssertRecoversAsync(store);
    }

    [SkippableFact]
    public async Task Failures_are_logged_rate_limited_and_never_show_the_password()
    {
        const string password = "kv-test-secret-4711";
        await using var redis = await PrivateRedis.StartAsync(password);
        var logger = new FakeLogger();
        await using var store = await ConnectAsync(redis.Configuration, logger);
        await store.SetAsync("k", "v");
        Assert.Equal("v", await store.GetAsync("k"));

        redis.Kill();
        for (var i = 0; i < 40; i++)
        {
            Assert.Null(await store.GetAsync("k"));
            await store.SetAsync("k", "v");
        }

        var records = logger.Collector.GetSnapshot();
        Assert.Single(records, r => r.Id.Id == 7001 && r.Message.Contains("Get on key 'k'", StringComparison.Ordinal));
        Assert.Single(records, r => r.Id.Id == 7001 && r.Message.Contains("Set on key 'k'", StringComparison.Ordinal));
        Assert.All(records, r => Assert.DoesNotContain(password, r.Message, StringComparison.Ordinal));
        Assert.All(records, r => Assert.DoesNotContain(password, r.Exception?.ToString() ?? "", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task The_password_never_appears_in_options_text_or_configuration_errors()
    {
        const string password = "kv-test-secret-0815";
        var options = new RedisKvOptions { Configuration = $"127.0.0.1:1,password={password},notAnOption=1" };

        Assert.DoesNotContain(password, options.ToString(), StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RedisKvStore.ConnectAsync(options));
        Assert.DoesNotContain(password, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("RedisKvOptions.Configuration", error.Message, StringComparison.Ordinal);
    }

    private static Task<RedisKvStore> ConnectAsync(string configuration, ILogger? logger = null)
        => RedisKvStore.ConnectAsync(new RedisKvOptions { Configuration = configuration, BreakDuration = TimeSpan.FromSeconds(1) }, logger);

    /// <summary>Every operation returns its fallback, several rounds so both the timeout path and the open circuit are covered.</summary>
    private static async Task AssertEveryCallFailsOpenAsync(IKvStore store, KvLease? lease)
    {
        if (lease is not null)
        {
            Assert.False(await Bounded(() => lease.ReleaseAsync().AsTask()));
        }

        for (var round = 0; round < 3; round++)
        {
            Assert.Null(await Bounded(() => store.GetAsync("k").AsTask()));
            Assert.Null(await Bounded(() => store.GetBytesAsync("k").AsTask()));
            await Bounded(async () =>
            {
                await store.SetAsync("k", "during", TimeSpan.FromMinutes(1));
                return true;
            });
            Assert.False(await Bounded(() => store.DeleteAsync("k").AsTask()));
            Assert.False(await Bounded(() => store.SetNxAsync("nx", "v", TimeSpan.FromMinutes(1)).AsTask()));
            Assert.Equal(-2, await Bounded(() => store.TtlAsync("k").AsTask()));
            Assert.Equal(KvCounter.Unavailable, await Bounded(() => store.IncrementAsync("hits", 1, TimeSpan.FromMinutes(1)).AsTask()));
            Assert.Null(await Bounded(() => store.TryLockAsync("job", TimeSpan.FromMinutes(1)).AsTask()));
        }
    }

    private static async Task<T> Bounded<T>(Func<Task<T>> call)
    {
        var watch = Stopwatch.StartNew();
        var result = await call();
        Assert.True(watch.Elapsed < NoStall, $"A KV call stalled for {watch.Elapsed.TotalMilliseconds:F0} ms while Redis was unavailable.");
        return result;
    }

    /// <summary>Polls until the same store round-trips again, then checks the counter and lock work too.</summary>
    private static async Task AssertRecoversAsync(IKvStore store)
    {
        var deadline = DateTime.UtcNow + RecoveryDeadline;
        while ((await store.IncrementAsync("probe", 1, TimeSpan.FromMinutes(1))).IsAvailable is false)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The store did not recover within {RecoveryDeadline.TotalSeconds} s of Redis returning.");
            await Task.Delay(100);
        }

        await store.SetAsync("after", "yes");
        Assert.Equal("yes", await store.GetAsync("after"));
        var lease = await store.TryLockAsync("job-after", TimeSpan.FromMinutes(1));
        Assert.NotNull(lease);
        Assert.True(await lease.ReleaseAsync());
    }
}
