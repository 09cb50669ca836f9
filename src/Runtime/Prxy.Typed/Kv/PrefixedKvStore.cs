namespace Prxy.Typed;

/// <summary>A view of a store that prefixes every key; see <see cref="IKvStore.WithPrefix"/>.</summary>
internal sealed class PrefixedKvStore(IKvStore inner, string prefix) : IKvStore
{
    internal static IKvStore Create(IKvStore inner, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return inner is PrefixedKvStore view ? new PrefixedKvStore(view._inner, view._prefix + prefix) : new PrefixedKvStore(inner, prefix);
    }

    private readonly IKvStore _inner = inner;
    private readonly string _prefix = prefix;

    private string Key(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _prefix + key;
    }

    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default) => _inner.GetAsync(Key(key), cancellationToken);

    public ValueTask<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken = default) => _inner.GetBytesAsync(Key(key), cancellationToken);

    public ValueTask SetAsync(string key, string value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) => _inner.SetAsync(Key(key), value, ttl, cancellationToken);

    public ValueTask SetAsync(string key, byte[] value, TimeSpan? ttl = null, CancellationToken cancellationToken = default) => _inner.SetAsync(Key(key), value, ttl, cancellationToken);

    public ValueTask<bool> SetNxAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default) => _inner.SetNxAsync(Key(key), value, ttl, cancellationToken);

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) => _inner.DeleteAsync(Key(key), cancellationToken);

    public ValueTask<long> TtlAsync(string key, CancellationToken cancellationToken = default) => _inner.TtlAsync(Key(key), cancellationToken);

    public ValueTask<KvCounter> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default) => _inner.IncrementAsync(Key(key), by, ttl, cancellationToken);

    public ValueTask<KvLease?> TryLockAsync(string name, TimeSpan ttl, CancellationToken cancellationToken = default) => _inner.TryLockAsync(Key(name), ttl, cancellationToken);

    public IKvStore WithPrefix(string prefix) => Create(this, prefix);

    // The root store owns the connection; a view has nothing to free.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
