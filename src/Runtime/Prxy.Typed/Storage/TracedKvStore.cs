namespace Prxy.Typed;

/// <summary>Adds a span and a duration measurement to every KV call; keys and values are never recorded.</summary>
internal sealed class TracedKvStore(IKvStore inner, string system) : IKvStore
{
    private async ValueTask<T> Trace<T>(string operation, ValueTask<T> call, Func<T, bool>? failed = null)
    {
        var op = PrxyTelemetry.Start(system, operation, "kv");
        try
        {
            var result = await call.ConfigureAwait(false);
            op.End(failed?.Invoke(result) == true ? "unavailable" : null);
            return result;
        }
        catch (Exception ex)
        {
            op.End(ex.GetType().Name);
            throw;
        }
    }

    private async ValueTask Trace(string operation, ValueTask call)
    {
        var op = PrxyTelemetry.Start(system, operation, "kv");
        try
        {
            await call.ConfigureAwait(false);
            op.End();
        }
        catch (Exception ex)
        {
            op.End(ex.GetType().Name);
            throw;
        }
    }

    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default) => Trace("GET", inner.GetAsync(key, cancellationToken));

    public ValueTask<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken = default) => Trace("GET", inner.GetBytesAsync(key, cancellationToken));

    public ValueTask SetAsync(string key, string value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) => Trace("SET", inner.SetAsync(key, value, ttl, cancellationToken));

    public ValueTask SetAsync(string key, byte[] value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) => Trace("SET", inner.SetAsync(key, value, ttl, cancellationToken));

    public ValueTask<bool> SetNxAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default) => Trace("SETNX", inner.SetNxAsync(key, value, ttl, cancellationToken));

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => Trace("DEL", inner.DeleteAsync(key, cancellationToken));

    public ValueTask<long> TtlAsync(string key, CancellationToken cancellationToken = default) => Trace("TTL", inner.TtlAsync(key, cancellationToken));

    public ValueTask<KvCounter> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Trace("INCRBY", inner.IncrementAsync(key, by, ttl, cancellationToken), static c => !c.IsAvailable);

    public ValueTask<KvLease?> TryLockAsync(string name, TimeSpan ttl, CancellationToken cancellationToken = default) => Trace("LOCK", inner.TryLockAsync(name, ttl, cancellationToken));

    public IKvStore WithPrefix(string prefix) => new TracedKvStore(inner.WithPrefix(prefix), system);

    // The storage facade disposes the underlying store itself.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
