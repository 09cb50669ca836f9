namespace Prxy.Typed;

/// <summary>
/// A module's blob store (<c>storage.Blob</c>): whole objects addressed by a key such as <c>"reports/2026/12/a.json"</c>.
/// Backends: <see cref="FileSystemBlobStore"/> (local default) and <see cref="S3BlobStore"/> (AWS S3, Cloudflare R2 and
/// other S3-compatible services). Every backend validates keys with <see cref="BlobKey.Validate"/>.
/// </summary>
/// <remarks>
/// When the store is unavailable, <see cref="GetAsync"/> and <see cref="OpenReadAsync"/> return <see langword="null"/>
/// and log (rate-limited); <c>PutAsync</c>, <see cref="DeleteAsync"/> and <see cref="ListAsync"/> throw
/// <see cref="BlobStoreException"/>, because a lost write or an empty list would lie to the caller.
/// </remarks>
public interface IBlobStore : IAsyncDisposable
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, replacing any previous content atomically.</summary>
    /// <exception cref="ArgumentException">The key breaks a rule of <see cref="BlobKey.Validate"/>.</exception>
    /// <exception cref="BlobStoreException">The store could not complete the write.</exception>
    Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, replacing any previous content atomically.</summary>
    /// <exception cref="ArgumentException">The key breaks a rule of <see cref="BlobKey.Validate"/>.</exception>
    /// <exception cref="BlobStoreException">The store could not complete the write.</exception>
    Task PutAsync(string key, byte[] content, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="content"/> as UTF-8 (without a byte order mark) under <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentException">The key breaks a rule of <see cref="BlobKey.Validate"/>.</exception>
    /// <exception cref="BlobStoreException">The store could not complete the write.</exception>
    Task PutAsync(string key, string content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores everything read from <paramref name="content"/> (from its current position to its end) under
    /// <paramref name="key"/>. The stream is not disposed. Large streams are written without buffering them whole.
    /// </summary>
    /// <exception cref="ArgumentException">The key breaks a rule of <see cref="BlobKey.Validate"/>.</exception>
    /// <exception cref="BlobStoreException">The store could not complete the write; the previous content is kept.</exception>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Returns the content stored under <paramref name="key"/>, or <see langword="null"/> when it is missing or the store is unavailable (logged).</summary>
    /// <exception cref="ArgumentException">The key breaks a rule of <see cref="BlobKey.Validate"/>.</exception>
    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens the content stored under <paramref name="key"/> for reading, or returns <see langword="null"/> when it is
    /// missing or the store is unavailable (logged). The caller disposes the stream; a failure while reading it throws
    /// <see cref="IOException"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The key breaks a rule of <see cref="BlobKey.Validate"/>.</exception>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the content stored under <paramref name="key"/>; deleting a missing key does nothing.</summary>
    /// <exception cref="ArgumentException">The key breaks a rule of <see cref="BlobKey.Validate"/>.</exception>
    /// <exception cref="BlobStoreException">The store could not complete the delete.</exception>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every key that starts with <paramref name="prefix"/> (a plain string prefix, not necessarily a folder:
    /// <c>"logs/2026-1"</c> matches <c>"logs/2026-11/a"</c> and <c>"logs/2026-12.txt"</c>), fetched page by page.
    /// The order is the backend's (S3 returns UTF-8 binary order; the filesystem returns no particular order).
    /// </summary>
    /// <exception cref="ArgumentException">The prefix could not start any valid key (see <see cref="BlobKey.ValidatePrefix"/>).</exception>
    /// <exception cref="BlobStoreException">The store could not list, thrown while enumerating.</exception>
    IAsyncEnumerable<string> ListAsync(string prefix = "", CancellationToken cancellationToken = default);
}
