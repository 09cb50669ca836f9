namespace Prxy.Typed;

/// <summary>
/// A lock taken with <see cref="IKvStore.TryLockAsync"/>. Dispose (or <see cref="ReleaseAsync"/>) to free it;
/// the lock frees itself when its TTL ends. Releasing removes the lock only while it still holds this
/// lease's token.
/// </summary>
public sealed class KvLease : IAsyncDisposable
{
    private readonly Func<string, string, CancellationToken, ValueTask<bool>> _release;
    private int _released;

    internal KvLease(string name, string token, Func<string, string, CancellationToken, ValueTask<bool>> release)
    {
        Name = name;
        Token = token;
        _release = release;
    }

    /// <summary>The lock's key: the name passed to <see cref="IKvStore.TryLockAsync"/>, with any <see cref="IKvStore.WithPrefix"/> prefix.</summary>
    public string Name { get; }

    /// <summary>The random token that identifies this holder.</summary>
    public string Token { get; }

    /// <summary>Frees the lock if this lease still holds it; later calls do nothing.</summary>
    /// <returns>True when this call removed the lock; false when it had expired, was taken over, was already released, or the store is unavailable (logged).</returns>
    public ValueTask<bool> ReleaseAsync(CancellationToken cancellationToken = default)
        => Interlocked.Exchange(ref _released, 1) == 0 ? _release(Name, Token, cancellationToken) : ValueTask.FromResult(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await ReleaseAsync().ConfigureAwait(false);
}
