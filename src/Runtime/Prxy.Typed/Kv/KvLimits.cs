using System.Text;

namespace Prxy.Typed;

/// <summary>Size limits every KV backend enforces, so a runaway key or value fails loudly instead of filling memory.</summary>
/// <param name="MaxKeyBytes">Longest key (prefix included), in UTF-8 bytes.</param>
/// <param name="MaxValueBytes">Largest value, in bytes (UTF-8 bytes for strings).</param>
public sealed record KvLimits(int MaxKeyBytes = 512, int MaxValueBytes = 1024 * 1024)
{
    /// <summary>512-byte keys, 1 MiB values.</summary>
    public static KvLimits Default { get; } = new();

    internal void CheckKey(string key, string parameterName = "key")
    {
        ArgumentNullException.ThrowIfNull(key, parameterName);
        if (key.Length == 0)
        {
            throw new ArgumentException("A KV key must not be empty.", parameterName);
        }

        // A char is at most 3 UTF-8 bytes, so short keys skip the count.
        if (key.Length * 3 > MaxKeyBytes && Encoding.UTF8.GetByteCount(key) is var bytes && bytes > MaxKeyBytes)
        {
            throw new ArgumentException(
                $"KV key '{Shorten(key)}' is {bytes} bytes; the limit is {MaxKeyBytes} bytes (KvLimits.MaxKeyBytes). Use a shorter key, e.g. a hash of the long part.",
                parameterName);
        }
    }

    internal void CheckValue(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length * 3 > MaxValueBytes && Encoding.UTF8.GetByteCount(value) is var bytes && bytes > MaxValueBytes)
        {
            throw TooLarge(key, bytes);
        }
    }

    internal void CheckValue(string key, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxValueBytes)
        {
            throw TooLarge(key, value.Length);
        }
    }

    internal static void CheckTtl(TimeSpan ttl, string parameterName = "ttl")
    {
        if (ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(parameterName, ttl, "A KV TTL must be positive; pass null to SetAsync for no TTL.");
        }
    }

    private ArgumentException TooLarge(string key, int bytes) => new(
        $"KV value for key '{Shorten(key)}' is {bytes} bytes; the limit is {MaxValueBytes} bytes (KvLimits.MaxValueBytes). Store large payloads in storage.Blob and keep a reference here.",
        "value");

    private static string Shorten(string key) => key.Length <= 80 ? key : string.Concat(key.AsSpan(0, 80), "…");
}
