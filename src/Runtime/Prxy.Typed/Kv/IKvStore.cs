namespace Prxy.Typed;

/// <summary>
/// A module's key-value store (<c>storage.Kv</c>): cache entries, rate and spend counters, short locks.
/// Backends: <see cref="MemoryKvStore"/> and <see cref="RedisKvStore"/>; both pass one conformance suite.
/// </summary>
/// <remarks>
/// <para>
/// The store fails open: when the backend is unavailable or hanging, every call returns within a bounded
/// time with the documented fallback (Get → null, Set/Delete → logged, SetNx/TryLock → not acquired,
/// Ttl → -2, Increment → <see cref="KvCounter.IsAvailable"/> false) instead of throwing, so an outage never
/// stalls a request. Programming errors (a key or value over <see cref="KvLimits"/>, a non-positive TTL,
/// incrementing a non-integer value) still throw.
/// </para>
/// <para>
/// Values are UTF-8 strings or raw bytes; a value written as a string reads back as its UTF-8 bytes and vice
/// versa. Strings are the common case (JSON, counters, tokens), so they get the short name.
/// </para>
/// </remarks>
public interface IKvStore : IAsyncDisposable
{
    /// <summary>The value of <paramref name="key"/> as a UTF-8 string; null when missing, expired or the store is unavailable.</summary>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>The value of <paramref name="key"/> as bytes; null when missing, expired or the store is unavailable.</summary>
    ValueTask<byte[]?> GetBytesAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing any value and TTL; no TTL when <paramref name="ttl"/> is null.</summary>
    /// <remarks>When the store is unavailable the write is logged (rate-limited) and dropped.</remarks>
    ValueTask SetAsync(string key, string value, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Stores the bytes <paramref name="value"/> under <paramref name="key"/>, replacing any value and TTL; no TTL when <paramref name="ttl"/> is null.</summary>
    /// <remarks>When the store is unavailable the write is logged (rate-limited) and dropped.</remarks>
    ValueTask SetAsync(string key, byte[] value, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> only when <paramref name="key"/> is missing or expired, atomically.</summary>
    /// <returns>True when this call stored the value; false when the key exists or the store is unavailable.</returns>
    ValueTask<bool> SetNxAsync(string key, string value, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="key"/>.</summary>
    /// <returns>True when a live key was removed; false when it was missing or the store is unavailable (logged).</returns>
    ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Remaining time to live of <paramref name="key"/> in whole seconds (rounded to nearest).</summary>
    /// <returns>The seconds left; -1 when the key has no TTL; -2 when it is missing or the store is unavailable.</returns>
    ValueTask<long> TtlAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Atomically adds <paramref name="by"/> to the integer at <paramref name="key"/> (a missing or expired key
    /// counts as 0). <paramref name="ttl"/> is applied only when this call creates the key, so a fixed-window
    /// counter resets when its window ends; later increments never extend it.
    /// </summary>
    /// <returns>
    /// The new value with <see cref="KvCounter.IsAvailable"/> true; when the store is unavailable,
    /// <see cref="KvCounter.Unavailable"/> (value 0, <see cref="KvCounter.IsAvailable"/> false), so a rate
    /// limiter can choose to fail open or closed.
    /// </returns>
    /// <exception cref="InvalidOperationException">The key holds a value that is not a 64-bit integer, or the sum overflows.</exception>
    ValueTask<KvCounter> IncrementAsync(string key, long by, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tries to take the lock <paramref name="name"/> (stored as the key <paramref name="name"/> holding a random
    /// token) for at most <paramref name="ttl"/>.
    /// </summary>
    /// <returns>
    /// A lease to dispose when done, or null when another holder has the lock or the store is unavailable.
    /// Releasing removes the lock only while it still holds this lease's token, so a lease that outlived its
    /// TTL never frees a later holder's lock.
    /// </returns>
    ValueTask<KvLease?> TryLockAsync(string name, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>
    /// A view of this store where every key and lock name is prefixed with <paramref name="prefix"/>
    /// (e.g. <c>"patterns:"</c>), so modules sharing one backend never see each other's keys.
    /// Disposing the view does nothing; the root store owns the connection.
    /// </summary>
    IKvStore WithPrefix(string prefix);
}
