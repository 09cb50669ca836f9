using Microsoft.Extensions.Time.Testing;
using Prxy.Typed.Testing.Kv;

namespace Prxy.Typed.Tests.Kv;

/// <summary>The KV conformance suite on the in-memory backend, with a fake clock.</summary>
public sealed class MemoryKvStoreConformanceTests : KvStoreConformanceTests
{
    private readonly FakeTimeProvider _time = new();

    protected override Task<IKvStore> OpenStoreAsync() => Task.FromResult<IKvStore>(new MemoryKvStore(_time));

    protected override Task AdvanceAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }
}

public sealed class MemoryKvStoreTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Expired_entries_stay_in_memory_until_the_thirty_second_sweep()
    {
        await using var store = new MemoryKvStore(_time);
        await store.SetAsync("short", "v", TimeSpan.FromSeconds(1));
        await store.SetAsync("long", "v", TimeSpan.FromMinutes(5));
        await store.SetAsync("forever", "v");

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Null(await store.GetAsync("short"));
        Assert.Equal(3, store.Count);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, store.Count);
        Assert.Equal("v", await store.GetAsync("long"));
        Assert.Equal("v", await store.GetAsync("forever"));
    }

    [Fact]
    public async Task Ttl_counts_down_with_the_clock()
    {
        await using var store = new MemoryKvStore(_time);
        await store.SetAsync("k", "v", TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(7, await store.TtlAsync("k"));

        _time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(-2, await store.TtlAsync("k"));
    }

    [Fact]
    public async Task Limits_are_configurable()
    {
        await using var store = new MemoryKvStore(_time, new KvLimits(MaxKeyBytes: 8, MaxValueBytes: 4));

        await store.SetAsync("12345678", "abcd");
        var key = await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetAsync("123456789", "a"));
        Assert.Contains("limit is 8 bytes", key.Message, StringComparison.Ordinal);
        var value = await Assert.ThrowsAsync<ArgumentException>(async () => await store.SetAsync("k", "abcé"));
        Assert.Contains("5 bytes; the limit is 4 bytes", value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Increment_that_overflows_throws_and_keeps_the_value()
    {
        await using var store = new MemoryKvStore(_time);
        await store.SetAsync("n", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.IncrementAsync("n", 1, TimeSpan.FromMinutes(1)));
        Assert.Contains("'n'", error.Message, StringComparison.Ordinal);
        Assert.Equal(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), await store.GetAsync("n"));
    }

    [Fact]
    public async Task A_disposed_store_refuses_calls()
    {
        var store = new MemoryKvStore(_time);
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetAsync("k"));
    }
}
