namespace Prxy.Typed;

/// <summary>Adds a span and a duration measurement to every KV call; keys and values are never recorded.</summary>
internal sealed class TracedKvStore(IKvStore inner, string system) : IKvStore
{
    private ValueTask<T> Trace<TState, T>(string operation, TState state, Func<TState, ValueTask<T>> call, Func<T, bool>? failed = null)
        => TracedCall.Run(system, operation, "kv", state, call, failed);

    private ValueTask Trace<TState>(string operation, TState state, Func<TState, ValueTask> call) => TracedCall.Run(system, operation, "kv", state, call);

    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default) => Trace("GET", (inner, key, cancellationToken), static s => s.inner.GetAsync(s.key, s.cancellationToken));

    public ValueTask<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken = default) => Trace("GET", (inner, key, cancellationToken), static s => s.inner.GetBytesAsync(s.key, s.cancellationToken));

    public ValueTask SetAsync(string key, string value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) => Trace("SET", (inner, key, value, ttl, cancellationToken), static s => s.inner.SetAsync(s.key, s.value, s.ttl, s.cancellationToken));

    public ValueTask SetAsync(string key, byte[] value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) => Trace("SET", (inner, key, value, ttl, cancellationToken), static s => s.inner.SetAsync(s.key, s.value, s.ttl, s.cancellationToken));

    public ValueTask<bool> SetNxAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default) => Trace("SETNX", (inner, key, value, ttl, cancellationToken), static s => s.inner.SetNxAsync(s.key, s.value, s.ttl, s.cancellationToken));

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => Trace("DEL", (inner, key, cancellationToken), static s => s.inner.DeleteAsync(s.key, s.cancellationToken));

    public ValueTask<long> TtlAsync(string key, CancellationToken cancellationToken = default) => Trace("TTL", (inner, key, cancellationToken), static s => s.inner.TtlAsync(s.key, s.cancellationToken));

    public ValueTask<KvCounter> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        Trace("INCRBY", (inner, key, by, ttl, cancellationToken), static s => s.inner.IncrementAsync(s.key, s.by, s.ttl, s.cancellationToken), static c => !c.IsAvailable);

    public ValueTask<KvLease?> TryLockAsync(string name, TimeSpan ttl, CancellationToken cancellationToken = default) => Trace("LOCK", (inner, name, ttl, cancellationToken), static s => s.inner.TryLockAsync(s.name, s.ttl, s.cancellationToken));

    public IKvStore WithPrefix(string prefix) => new TracedKvStore(inner.WithPrefix(prefix), system);

    // The storage facade disposes the underlying store itself.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
