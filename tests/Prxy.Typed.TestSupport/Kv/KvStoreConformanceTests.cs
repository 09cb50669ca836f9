using System.Collections.Concurrent;
using System.Text;

namespace Prxy.Typed.Testing.Kv;

/// <summary>
/// The behaviour every <see cref="IKvStore"/> backend must share. A backend's test class derives from this,
/// says how to open a fresh store and how to let time pass (a fake clock for memory, real waiting for Redis).
/// </summary>
public abstract class KvStoreConformanceTests : IAsyncLifetime
{
    private IKvStore? _root;
    private IKvStore? _store;
    private string? _skipReason;

    /// <summary>The store under test: a view with a fresh prefix, so tests never share keys.</summary>
    /// <remarks>A missing service skips here, inside the test, where <c>[SkippableFact]</c> turns it into a skip.</remarks>
    protected IKvStore Store => _store ?? throw new SkipException(_skipReason ?? "The store was not opened.");

    /// <summary>Opens a new store on the backend under test.</summary>
    protected abstract Task<IKvStore> OpenStoreAsync();

    /// <summary>Lets <paramref name="duration"/> pass on the store's clock.</summary>
    protected abstract Task AdvanceAsync(TimeSpan duration);

    /// <summary>A TTL short enough to wait out in a test, long enough that a loaded machine never outlives it between two calls.</summary>
    protected virtual TimeSpan ShortTtl => TimeSpan.FromMilliseconds(300);

    /// <summary>Comfortably longer than <see cref="ShortTtl"/>.</summary>
    protected virtual TimeSpan PastShortTtl => TimeSpan.FromMilliseconds(700);

    public async Task InitializeAsync()
    {
        try
        {
            _root = await OpenStoreAsync();
        }
        catch (SkipException skip)
        {
            _skipReason = skip.Message;
            return;
        }

        _store = _root.WithPrefix($"conformance:{Guid.NewGuid():N}:");
    }

    public async Task DisposeAsync()
    {
        if (_root is not null)
        {
            await _root.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task String_and_bytes_round_trip_and_convert_through_utf8()
    {
        await Store.SetAsync("s", "héllo ✓");
        await Store.SetAsync("b", new byte[] { 0, 1, 2, 255 });

        Assert.Equal("héllo ✓", await Store.GetAsync("s"));
        Assert.Equal(Encoding.UTF8.GetBytes("héllo ✓"), await Store.GetBytesAsync("s"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, await Store.GetBytesAsync("b"));
        Assert.Null(await Store.GetAsync("missing"));
        Assert.Null(await Store.GetBytesAsync("missing"));
    }

    [SkippableFact]
    public async Task Stored_bytes_are_not_changed_by_the_caller_mutating_its_array()
    {
        var bytes = new byte[] { 1, 2, 3 };
        await Store.SetAsync("b", bytes);
        bytes[0] = 9;
        var read = await Store.GetBytesAsync("b");
        read![1] = 9;

        Assert.Equal(new byte[] { 1, 2, 3 }, await Store.GetBytesAsync("b"));
    }

    [SkippableFact]
    public async Task Set_replaces_the_value_and_its_ttl()
    {
        await Store.SetAsync("k", "one", TimeSpan.FromMinutes(1));
        await Store.SetAsync("k", "two");

        Assert.Equal("two", await Store.GetAsync("k"));
        Assert.Equal(-1, await Store.TtlAsync("k"));
    }

    [SkippableFact]
    public async Task Delete_reports_whether_a_key_was_removed()
    {
        await Store.SetAsync("k", "v");

        Assert.True(await Store.DeleteAsync("k"));
        Assert.Null(await Store.GetAsync("k"));
        Assert.False(await Store.DeleteAsync("k"));
    }

    [SkippableFact]
    public async Task Ttl_is_seconds_left_minus_one_without_ttl_minus_two_when_missing()
    {
        await Store.SetAsync("ttl", "v", TimeSpan.FromSeconds(100));
        await Store.SetAsync("forever", "v");

        Assert.InRange(await Store.TtlAsync("ttl"), 99, 100);
        Assert.Equal(-1, await Store.TtlAsync("forever"));
        Assert.Equal(-2, await Store.TtlAsync("missing"));
    }

    [SkippableFact]
    public async Task Expired_keys_read_as_missing()
    {
        await Store.SetAsync("k", "v", ShortTtl);
        Assert.Equal("v", await Store.GetAsync("k"));

        await AdvanceAsync(PastShortTtl);

        Assert.Null(await Store.GetAsync("k"));
        Assert.Null(await Store.GetBytesAsync("k"));
        Assert.Equal(-2, await Store.TtlAsync("k"));
        Assert.False(await Store.DeleteAsync("k"));
    }

    [SkippableFact]
    public async Task SetNx_stores_only_when_missing_or_expired()
    {
        Assert.True(await Store.SetNxAsync("k", "first", ShortTtl));
        Assert.False(await Store.SetNxAsync("k", "second", ShortTtl));
        Assert.Equal("first", await Store.GetAsync("k"));

        await AdvanceAsync(PastShortTtl);

        Assert.True(await Store.SetNxAsync("k", "third", TimeSpan.FromMinutes(1)));
        Assert.Equal("third", await Store.GetAsync("k"));
    }

    [SkippableFact]
    public async Task Sixty_four_parallel_SetNx_on_one_key_have_exactly_one_winner()
    {
        var winners = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            var value = "writer-" + i;
            if (await Store.SetNxAsync("race", value, TimeSpan.FromMinutes(1)))
            {
                winners.Add(value);
            }
        })));

        var winner = Assert.Single(winners);
        Assert.Equal(winner, await Store.GetAsync("race"));
    }

    [SkippableFact]
    public async Task Sixty_four_parallel_SetNx_on_an_expired_key_have_exactly_one_winner()
    {
        await Store.SetAsync("race", "old", ShortTtl);
        await AdvanceAsync(PastShortTtl);

        var wins = 0;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () =>
        {
            if (await Store.SetNxAsync("race", "writer-" + i, TimeSpan.FromMinutes(1)))
            {
                Interlocked.Increment(ref wins);
            }
        })));

        Assert.Equal(1, wins);
    }

    [SkippableFact]
    public async Task Increment_under_sixteen_way_concurrency_is_exact()
    {
        var seen = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var counter = await Store.IncrementAsync("hits", 1, TimeSpan.FromMinutes(1));
                Assert.True(counter.IsAvailable);
                seen.Add(counter.Value);
            }
        })));

        Assert.Equal("800", await Store.GetAsync("hits"));
        Assert.Equal(Enumerable.Range(1, 800).Select(v => (long)v), seen.Order());
    }

    [SkippableFact]
    public async Task Increment_sets_the_ttl_only_when_it_creates_the_key()
    {
        Assert.Equal(new KvCounter(5, true), await Store.IncrementAsync("window", 5, ShortTtl));
        Assert.Equal(new KvCounter(3, true), await Store.IncrementAsync("window", -2, TimeSpan.FromHours(1)));
        Assert.InRange(await Store.TtlAsync("window"), 0, (long)Math.Ceiling(ShortTtl.TotalSeconds));

        await AdvanceAsync(PastShortTtl);

        Assert.Equal(new KvCounter(1, true), await Store.IncrementAsync("window", 1, TimeSpan.FromHours(1)));
        Assert.InRange(await Store.TtlAsync("window"), 3599, 3600);
    }

    [SkippableFact]
    public async Task Increment_adds_to_an_integer_written_by_Set_and_keeps_its_absent_ttl()
    {
        await Store.SetAsync("n", "41");

        Assert.Equal(42, (await Store.IncrementAsync("n", 1, TimeSpan.FromMinutes(1))).Value);
        Assert.Equal(-1, await Store.TtlAsync("n"));
    }

    [SkippableFact]
    public async Task Increment_of_a_non_integer_value_throws_naming_the_key()
    {
        await Store.SetAsync("text", "not a number");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await Store.IncrementAsync("text", 1, TimeSpan.FromMinutes(1)));
        Assert.Contains("text", error.Message, StringComparison.Ordinal);
        Assert.Equal("not a number", await Store.GetAsync("text"));
    }

    [SkippableFact]
    public async Task A_lock_is_held_until_released()
    {
        await using (var lease = await Store.TryLockAsync("job", TimeSpan.FromMinutes(1)))
        {
            Assert.NotNull(lease);
            Assert.Null(await Store.TryLockAsync("job", TimeSpan.FromMinutes(1)));
        }

        var next = await Store.TryLockAsync("job", TimeSpan.FromMinutes(1));
        Assert.NotNull(next);
        Assert.True(await next.ReleaseAsync());
        Assert.False(await next.ReleaseAsync());
    }

    [SkippableFact]
    public async Task An_expired_lease_never_releases_the_next_holders_lock()
    {
        var a = await Store.TryLockAsync("job", ShortTtl);
        Assert.NotNull(a);

        await AdvanceAsync(PastShortTtl);
        var b = await Store.TryLockAsync("job", TimeSpan.FromMinutes(1));
        Assert.NotNull(b);

        Assert.False(await a.ReleaseAsync());
        Assert.Null(await Store.TryLockAsync("job", TimeSpan.FromMinutes(1)));
        Assert.Equal(b.Token, await Store.GetAsync("job"));

        await b.DisposeAsync();
        Assert.NotNull(await Store.TryLockAsync("job", TimeSpan.FromMinutes(1)));
    }

    [SkippableFact]
    public async Task Prefixed_views_do_not_see_each_others_keys()
    {
        var patterns = Store.WithPrefix("patterns:");
        var quotas = Store.WithPrefix("quotas:");
        await patterns.SetAsync("k", "p");
        await quotas.SetAsync("k", "q");
        await using var lease = await patterns.TryLockAsync("lock", TimeSpan.FromMinutes(1));

        Assert.Equal("p", await patterns.GetAsync("k"));
        Assert.Equal("q", await quotas.GetAsync("k"));
        Assert.Equal("p", await Store.GetAsync("patterns:k"));
        Assert.Equal("p", await Store.WithPrefix("pat").WithPrefix("terns:").GetAsync("k"));
        Assert.NotNull(await quotas.TryLockAsync("lock", TimeSpan.FromMinutes(1)));
        Assert.Null(await patterns.TryLockAsync("lock", TimeSpan.FromMinutes(1)));
    }

    [SkippableFact]
    public async Task Oversized_keys_and_values_throw_naming_the_key_and_the_limit()
    {
        var store = Store; // outside the lambdas, so a missing service skips instead of failing an assertion
        var longKey = "user:" + new string('x', 600);
        var keyError = await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetAsync(longKey, "v"));
        Assert.Contains("user:xxx", keyError.Message, StringComparison.Ordinal);
        Assert.Contains("512 bytes", keyError.Message, StringComparison.Ordinal);
        Assert.Equal("key", keyError.ParamName);

        var valueError = await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetAsync("big", new byte[1024 * 1024 + 1]));
        Assert.Contains("big", valueError.Message, StringComparison.Ordinal);
        Assert.Contains("1048576 bytes", valueError.Message, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync("big"));
    }

    [SkippableFact]
    public async Task Non_positive_ttls_are_rejected()
    {
        var store = Store; // outside the lambdas, so a missing service skips instead of failing an assertion
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.SetAsync("k", "v", TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.SetNxAsync("k", "v", TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.IncrementAsync("k", 1, TimeSpan.Zero));
        Assert.Null(await store.GetAsync("k"));
    }

    [SkippableFact]
    public async Task A_cancelled_token_cancels_the_call()
    {
        var store = Store; // outside the lambdas, so a missing service skips instead of failing an assertion
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetAsync("k", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.SetAsync("k", "v", null, cancelled.Token));
    }
}
