using Prxy.Typed.Testing;
using Prxy.Typed.Testing.Kv;

namespace Prxy.Typed.IntegrationTests.Kv;

/// <summary>The KV conformance suite on the shared test Redis (<c>PRXY_TEST_REDIS</c>); time passes for real.</summary>
public sealed class RedisKvStoreConformanceTests : KvStoreConformanceTests
{
    protected override async Task<IKvStore> OpenStoreAsync()
        => await RedisKvStore.ConnectAsync(new RedisKvOptions { Configuration = TestServices.Redis });

    // Real time passes here, so the short TTL must outlast a busy machine's pauses between two calls.
    protected override TimeSpan ShortTtl => TimeSpan.FromSeconds(1.5);

    protected override TimeSpan PastShortTtl => TimeSpan.FromSeconds(2);

    protected override Task AdvanceAsync(TimeSpan duration) => Task.Delay(duration);
}
