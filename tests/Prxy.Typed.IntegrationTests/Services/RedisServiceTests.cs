using Prxy.Typed.Testing;
using StackExchange.Redis;

namespace Prxy.Typed.IntegrationTests.Services;

/// <summary>The test Redis that eng/services.sh starts answers SET/GET.</summary>
public sealed class RedisServiceTests
{
    [SkippableFact]
    public async Task Set_then_get_returns_the_value_with_its_ttl()
    {
        var options = ConfigurationOptions.Parse(TestServices.Redis);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var db = redis.GetDatabase();

        var key = "prxy:smoke:" + Guid.NewGuid().ToString("N");
        Assert.True(await db.StringSetAsync(key, "héllo ✓", TimeSpan.FromMinutes(1)));

        Assert.Equal("héllo ✓", (string?)await db.StringGetAsync(key));
        var ttl = await db.KeyTimeToLiveAsync(key);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

        Assert.True(await db.KeyDeleteAsync(key));
        Assert.True((await db.StringGetAsync(key)).IsNull);
    }
}
