namespace Prxy.Typed;

/// <summary>
/// A module's storage: relational + vector rows, KV and blobs, opened by <see cref="PrxyStorage.OpenAsync"/>.
/// Disposing it closes every store it opened.
/// </summary>
public interface IPrxyStorage : IAsyncDisposable
{
    /// <summary>The relational and vector store (SQLite or PostgreSQL).</summary>
    IDatabase Db { get; }

    /// <summary>The KV store (memory or Redis); failures read as misses.</summary>
    IKvStore Kv { get; }

    /// <summary>The blob store (filesystem or S3); reads return null on failure, writes throw.</summary>
    IBlobStore Blob { get; }

    /// <summary>Probes every store once and reports health, latency and backend; never throws on an outage.</summary>
    Task<StorageHealth> HealthAsync(CancellationToken cancellationToken = default);
}
