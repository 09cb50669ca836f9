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
        await AssertWorksAsync(store);
        var lease = await TakeLockAsync(store);

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
        await AssertWorksAsync(store);
        var lease = await TakeLockAsync(store);

        redis.Pause();

        await AssertEveryCallFailsOpenAsync(store, lease);
        redis.Resume();
        await AssertRecoversAsync(store);
        await EventuallyAsync(async () => await store.GetAsync("before") == "yes", "read the value written before the pause");
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
        await AssertWorksAsync(store);

        redis.Kill();
        for (var i = 0; i < 40; i++)
        {
            Assert.Null(await store.GetAsync("k"));
            await store.SetAsync("k", "v");
        }

        var records = logger.Collector.GetSnapshot();
        // One warning per operation per 10 s interval, however many calls failed.
        Assert.Single(records, r => r.Id.Id == 7001 && r.Message.Contains(": Get on key", StringComparison.Ordinal));
        Assert.Single(records, r => r.Id.Id == 7001 && r.Message.Contains(": Set on key", StringComparison.Ordinal));
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

    /// <summary>Polls until the same store round-trips again after Redis returned.</summary>
    private static Task AssertRecoversAsync(IKvStore store) => AssertWorksAsync(store, "after");

    /// <summary>Polls (a loaded machine may exceed the 250 ms bound now and then) until a full round trip works: value, counter, lock.</summary>
    private static Task AssertWorksAsync(IKvStore store, string key = "before") => EventuallyAsync(
        async () =>
        {
            await store.SetAsync(key, "yes");
            if (await store.GetAsync(key) != "yes" || !(await store.IncrementAsync("probe", 1, TimeSpan.FromMinutes(1))).IsAvailable)
            {
                return false;
            }

            var lease = await store.TryLockAsync("probe-lock", TimeSpan.FromMinutes(1));
            return lease is not null && await lease.ReleaseAsync();
        },
        "round-trip a value, a counter and a lock");

    private static async Task<KvLease> TakeLockAsync(IKvStore store)
    {
        KvLease? lease = null;
        await EventuallyAsync(async () => (lease = await store.TryLockAsync("held", TimeSpan.FromMinutes(1))) is not null, "take a lock");
        return lease!;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> attempt, string what)
    {
        var deadline = DateTime.UtcNow + RecoveryDeadline;
        while (!await attempt())
        {
            Assert.True(DateTime.UtcNow < deadline, $"The store could not {what} within {RecoveryDeadline.TotalSeconds} s of Redis being up.");
            await Task.Delay(100);
        }
    }
}
