namespace Prxy.Typed;

/// <summary>
/// A blob store could not complete a write, delete or list. The message names the operation, the key or prefix and
/// the backend; <see cref="Exception.InnerException"/> carries the cause. Credentials never appear in it.
/// </summary>
public sealed class BlobStoreException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    public BlobStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the cause.</summary>
    public BlobStoreException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for <paramref name="operation"/> on <paramref name="keyOrPrefix"/> in <paramref name="backend"/>.</summary>
    public BlobStoreException(string operation, string keyOrPrefix, string backend, Exception? innerException)
        : base(Describe(operation, keyOrPrefix, backend, innerException), innerException)
    {
        Operation = operation;
        KeyOrPrefix = keyOrPrefix;
        Backend = backend;
    }

    /// <summary>The failed operation ("put", "delete", "list", ...), when known.</summary>
    public string? Operation { get; }

    /// <summary>The key (or, for a list, the prefix) the operation was about, when known.</summary>
    public string? KeyOrPrefix { get; }

    /// <summary>Which store failed, e.g. <c>filesystem '/home/me/.prxy/blob'</c> or <c>S3 bucket 'b' at http://...</c>.</summary>
    public string? Backend { get; }

    private static string Describe(string operation, string keyOrPrefix, string backend, Exception? cause)
    {
        var what = operation == "list" ? "prefix" : "key";
        var reason = cause is null ? "" : ": " + cause.Message;
        return $"Blob {operation} failed for {what} '{BlobKey.Display(keyOrPrefix)}' in the {backend}{reason}";
    }
}
