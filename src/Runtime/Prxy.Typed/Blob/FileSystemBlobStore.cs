using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Prxy.Typed;

/// <summary>
/// Blobs as files under a root directory (default <c>~/.prxy/blob/</c>): key <c>a/b.json</c> is the file
/// <c>{root}/a/b.json</c>. A write goes to a temporary file in the same directory, is flushed to disk and renamed over
/// the old file, then the directory is flushed: readers see the old content or the new, never a part, and a crash
/// mid-write keeps the old content. Symbolic links that lead out of the root are refused.
/// </summary>
/// <remarks>
/// On a filesystem a key cannot be both a blob and a folder of other keys (<c>a</c> and <c>a/b</c>): the second write
/// throws <see cref="BlobStoreException"/>. Case-insensitive filesystems (Windows, macOS) treat keys that differ only
/// in case as one. A write interrupted by a crash leaves a <c>.prxy-tmp-*</c> file that reads and lists ignore.
/// </remarks>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const int MaxPutAttempts = 3;
    private const int MaxLinkDepth = 40;

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly string _root;
    private readonly ILogger _logger;
    private readonly FailureLogThrottle _readFailureLog = new();

    /// <summary>Opens (and creates when missing) the store under <paramref name="root"/>, or under <see cref="DefaultRoot"/> when it is null.</summary>
    /// <exception cref="BlobStoreException">The root directory cannot be created or resolved.</exception>
    public FileSystemBlobStore(string? root = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        var requested = Path.GetFullPath(root ?? DefaultRoot);
        try
        {
            Directory.CreateDirectory(requested);
            _root = Path.TrimEndingDirectorySeparator(RealPath(requested, 0));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BlobStoreException($"The filesystem blob store cannot use the root directory '{requested}': {e.Message}", e);
        }

        Backend = $"filesystem blob store at '{_root}'";
    }

    /// <summary><c>~/.prxy/blob</c> in the current user's home directory.</summary>
    public static string DefaultRoot =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".prxy", "blob");

    /// <summary>The root directory, with symbolic links resolved.</summary>
    public string Root => _root;

    private string Backend { get; }

    /// <inheritdoc />
    public Task PutAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        return WriteAsync(key, (file, ct) => file.WriteAsync(content, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task PutAsync(string key, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return PutAsync(key, content.AsMemory(), cancellationToken);
    }

    /// <inheritdoc />
    public Task PutAsync(string key, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        return PutAsync(key, Encoding.UTF8.GetBytes(content).AsMemory(), cancellationToken);
    }

    /// <inheritdoc />
    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        BlobKey.Validate(key);
        return WriteAsync(key, (file, ct) => new ValueTask(content.CopyToAsync(file, ct)), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        string? path = null;
        try
        {
            path = ResolveInsideRoot(key, "get");
            return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsMissing(e, path))
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogReadFailure("get", key, e);
            return null;
        }
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        string? path = null;
        try
        {
            path = ResolveInsideRoot(key, "open");
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (IsMissing(e, path))
        {
            return Task.FromResult<Stream?>(null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogReadFailure("open", key, e);
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var path = ResolveInsideRoot(key, "delete");
            if (Directory.Exists(path))
            {
                return Task.CompletedTask; // a folder of other keys, not a blob: nothing stored under this key
            }

            File.Delete(path);
            RemoveEmptyDirectories(Path.GetDirectoryName(path)!);
            return Task.CompletedTask;
        }
        catch (DirectoryNotFoundException)
        {
            return Task.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BlobStoreException("delete", key, Backend, e);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<string> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        BlobKey.ValidatePrefix(prefix);
        return ListCoreAsync(prefix, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public override string ToString() => Backend;

    private async Task WriteAsync(string key, Func<FileStream, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var path = ResolveInsideRoot(key, "put");
            if (Directory.Exists(path))
            {
                throw new IOException($"'{path}' is a folder holding other keys ('{key}/...'); on the filesystem a key cannot also be a folder.");
            }

            var directory = Path.GetDirectoryName(path)!;
            for (var attempt = 1; ; attempt++)
            {
                CreateParentDirectories(key, directory);
                var temp = Path.Join(directory, BlobKey.ReservedTempPrefix + Guid.NewGuid().ToString("N"));
                try
                {
                    var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 0 };
                    await using (var file = new FileStream(temp, options))
                    {
                        await write(file, cancellationToken).ConfigureAwait(false);
                        file.Flush(flushToDisk: true);
                    }

                    File.Move(temp, path, overwrite: true);
                    DirectorySync.Flush(directory);
                    return;
                }
                catch (DirectoryNotFoundException) when (attempt < MaxPutAttempts)
                {
                    // A concurrent delete removed the (then empty) directory between creating it and the temp file.
                    DeleteQuietly(temp);
                }
                catch
                {
                    DeleteQuietly(temp);
                    throw;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new BlobStoreException("put", key, Backend, e);
        }
    }

    private void CreateParentDirectories(string key, string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (IOException e) when (FindFileAncestor(directory) is { } file)
        {
            var blob = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            throw new IOException($"the key '{blob}' is a blob, so it cannot also be a folder for '{key}'.", e);
        }
    }

    private string? FindFileAncestor(string directory)
    {
        for (var current = directory; current.Length > _root.Length; current = Path.GetDirectoryName(current)!)
        {
            if (File.Exists(current))
            {
                return current;
            }
        }

        return null;
    }

    private void RemoveEmptyDirectories(string directory)
    {
        // Best effort: a folder that is not empty (or was refilled meanwhile) stays; puts retry when they race with this.
        for (var current = directory; IsStrictlyInsideRoot(current); current = Path.GetDirectoryName(current)!)
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(current).Any())
                {
                    return;
                }

                Directory.Delete(current, recursive: false);
            }
            catch (DirectoryNotFoundException)
            {
            }
            catch (IOException)
            {
                return;
            }
        }
    }

    private async IAsyncEnumerable<string> ListCoreAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var slash = prefix.LastIndexOf('/');
        var folderKey = slash < 0 ? "" : prefix[..slash];
        var namePrefix = prefix[(slash + 1)..];

        var pending = new Stack<(string Directory, string KeyPrefix, string NamePrefix)>();
        try
        {
            var start = folderKey.Length == 0 ? _root : ResolveInsideRoot(folderKey, "list");
            if (Directory.Exists(start))
            {
                pending.Push((start, folderKey.Length == 0 ? "" : folderKey + "/", namePrefix));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BlobStoreException("list", prefix, Backend, e);
        }

        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (directory, keyPrefix, filter) = pending.Pop();
            List<string> keys;
            try
            {
                keys = ReadFolder(prefix, directory, keyPrefix, filter, pending);
            }
            catch (DirectoryNotFoundException)
            {
                continue; // deleted while listing
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BlobStoreException("list", prefix, Backend, e);
            }

            foreach (var key in keys)
            {
                yield return key;
            }
        }
    }

    private List<string> ReadFolder(string prefix, string directory, string keyPrefix, string filter, Stack<(string, string, string)> pending)
    {
        var keys = new List<string>();
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = false };
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options))
        {
            if (!entry.Name.StartsWith(filter, StringComparison.Ordinal))
            {
                continue;
            }

            var key = keyPrefix + entry.Name;
            if (entry.LinkTarget is not null)
            {
                // Links to files inside the root are blobs; links to folders are not walked (no cycles).
                var target = RealPath(entry.FullName, 0);
                if (!IsInsideRoot(target))
                {
                    BlobLog.ListSkippedEscapingLink(_logger, prefix, Backend, entry.FullName);
                }
                else if (File.Exists(target) && BlobKey.IsValid(key))
                {
                    keys.Add(key);
                }
            }
            else if (entry is DirectoryInfo)
            {
                if (BlobKey.IsValid(key))
                {
                    pending.Push((entry.FullName, key + "/", ""));
                }
            }
            else if (BlobKey.IsValid(key))
            {
                keys.Add(key); // IsValid also hides in-progress '.prxy-tmp-*' files and names no key can have
            }
        }

        return keys;
    }

    /// <summary>
    /// The real path of <paramref name="key"/>: every existing component's symbolic links resolved, and refused with
    /// <see cref="BlobStoreException"/> when the result is outside the root.
    /// </summary>
    private string ResolveInsideRoot(string key, string operation)
    {
        var current = _root;
        foreach (var segment in key.Split('/'))
        {
            var next = Path.Join(current, segment);
            if (new FileInfo(next).LinkTarget is null)
            {
                current = next;
                continue;
            }

            var target = RealPath(next, 0);
            if (!IsInsideRoot(target))
            {
                var link = Path.GetRelativePath(_root, next).Replace(Path.DirectorySeparatorChar, '/');
                throw new BlobStoreException(
                    operation,
                    key,
                    Backend,
                    new UnauthorizedAccessException($"'{link}' is a symbolic link to '{target}', outside the store's root; refused."));
            }

            current = target;
        }

        return current;
    }

    /// <summary>Resolves every symbolic link in an absolute path, like realpath(3) for the components that exist.</summary>
    private static string RealPath(string path, int depth)
    {
        if (depth > MaxLinkDepth)
        {
            throw new IOException($"Too many levels of symbolic links while resolving '{path}'.");
        }

        var root = Path.GetPathRoot(path)!;
        var current = root;
        var parts = path[root.Length..].Split(
            [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar],
            StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                var targetPath = Path.IsPathRooted(target) ? target : Path.Join(current, target);
                var rest = string.Join(Path.DirectorySeparatorChar, parts, i + 1, parts.Length - i - 1);
                return RealPath(rest.Length == 0 ? targetPath : Path.Join(targetPath, rest), depth + 1);
            }

            current = next;
        }

        return current;
    }

    private bool IsInsideRoot(string path) =>
        path.Equals(_root, PathComparison) || IsStrictlyInsideRoot(path);

    private bool IsStrictlyInsideRoot(string path) =>
        path.Length > _root.Length + 1
        && path.StartsWith(_root, PathComparison)
        && (path[_root.Length] == Path.DirectorySeparatorChar || _root.EndsWith(Path.DirectorySeparatorChar));

    /// <summary>True when a read failed because nothing is stored under the key (including: the key is a folder of other keys).</summary>
    private bool IsMissing(Exception e, string? path) =>
        e is FileNotFoundException or DirectoryNotFoundException
        || (e is IOException or UnauthorizedAccessException && path is not null
            && (Directory.Exists(path) || FindFileAncestor(Path.GetDirectoryName(path)!) is not null));

    private void LogReadFailure(string operation, string key, Exception e)
    {
        if (_readFailureLog.TryEnter(out var suppressed))
        {
            BlobLog.ReadFailed(_logger, operation, key, Backend, suppressed, e);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The temp file is ignored by reads and lists; leaving it behind is harmless.
        }
    }
}
