using System.Text;

namespace Prxy.Typed;

/// <summary>
/// The one key rule set that every blob backend applies, so a key accepted locally is accepted in the cloud and can
/// never escape a filesystem root, name a Windows device, or collide with a file the store writes for itself.
/// </summary>
public static class BlobKey
{
    /// <summary>The longest key in UTF-8 bytes (the S3 limit).</summary>
    public const int MaxUtf8Bytes = 1024;

    /// <summary>Names that the filesystem store uses for in-progress writes; no key segment may start with it.</summary>
    internal const string ReservedTempPrefix = ".prxy-tmp-";

    private const int MaxDisplayChars = 200;

    private static readonly string[] DeviceNames =
    [
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00B9", "COM\u00B2", "COM\u00B3",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
    ];

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the key and the broken rule unless <paramref name="key"/> is a
    /// valid blob key: not empty; at most <see cref="MaxUtf8Bytes"/> UTF-8 bytes; segments separated by <c>/</c>, none
    /// of them empty (no leading <c>/</c>, no <c>a//b</c>, no trailing <c>/</c>), <c>.</c> or <c>..</c>, ending in a
    /// dot or a space, or a Windows device name (<c>CON</c>, <c>NUL.txt</c>, <c>com1</c>, ...); no backslash, colon,
    /// NUL or other control character, or unpaired surrogate.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException">The key breaks a rule; the message names both.</exception>
    public static void Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (FindViolation(key, isPrefix: false) is { } rule)
        {
            throw new ArgumentException($"Blob key '{Display(key)}' is invalid: {rule}.", nameof(key));
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="prefix"/> can start a valid key. The empty prefix
    /// (every key) and a trailing <c>/</c> are allowed; the last, possibly partial, segment may end in a dot or space
    /// and may be <c>.</c> or <c>..</c> (it can still grow into a valid name such as <c>..data</c>); everything else
    /// follows <see cref="Validate"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="prefix"/> is null.</exception>
    /// <exception cref="ArgumentException">The prefix breaks a rule; the message names both.</exception>
    public static void ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length > 0 && FindViolation(prefix, isPrefix: true) is { } rule)
        {
            throw new ArgumentException($"Blob key prefix '{Display(prefix)}' is invalid: {rule}.", nameof(prefix));
        }
    }

    /// <summary>True when <paramref name="key"/> passes <see cref="Validate"/>.</summary>
    public static bool IsValid(string? key) => key is not null && FindViolation(key, isPrefix: false) is null;

    /// <summary>The key as it may appear in a message: control characters escaped, long keys shortened.</summary>
    internal static string Display(string key)
    {
        var builder = new StringBuilder(Math.Min(key.Length, MaxDisplayChars) + 8);
        foreach (var c in key.AsSpan(0, Math.Min(key.Length, MaxDisplayChars)))
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        if (key.Length > MaxDisplayChars)
        {
            builder.Append("...(").Append(key.Length).Append(" chars)");
        }

        return builder.ToString();
    }

    private static string? FindViolation(string key, bool isPrefix)
    {
        if (key.Length == 0)
        {
            return "it is empty";
        }

        if (key[0] == '/')
        {
            return "it starts with '/' (keys are relative; an absolute path could escape the store)";
        }

        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c == '\0')
            {
                return $"it contains a NUL character at index {i}";
            }

            if (char.IsControl(c))
            {
                return $"it contains the control character U+{(int)c:X4} at index {i}";
            }

            if (c == '\\')
            {
                return $"it contains a backslash at index {i} (use '/' to separate segments)";
            }

            if (c == ':')
            {
                return $"it contains ':' at index {i} (a drive letter or stream name on Windows)";
            }

            if (char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return $"it contains an unpaired surrogate at index {i} (not encodable as UTF-8)";
            }
        }

        var bytes = Encoding.UTF8.GetByteCount(key);
        if (bytes > MaxUtf8Bytes)
        {
            return $"it is {bytes} UTF-8 bytes long; the limit is {MaxUtf8Bytes}";
        }

        var segments = key.Split('/');
        for (var s = 0; s < segments.Length; s++)
        {
            var isLast = s == segments.Length - 1;
            if (isPrefix && isLast)
            {
                // A partial last segment may still grow into a valid name ("a." -> "a.txt", ".." -> "..data").
                break;
            }

            if (SegmentViolation(segments[s]) is { } rule)
            {
                return $"segment {s + 1} ('{Display(segments[s])}') {rule}";
            }
        }

        return null;
    }

    private static string? SegmentViolation(string segment)
    {
        if (segment.Length == 0)
        {
            return "is empty (no '//' and no trailing '/')";
        }

        if (segment is "." or "..")
        {
            return "is '.' or '..' (a relative path step)";
        }

        if (segment[^1] is '.' or ' ')
        {
            return "ends with a dot or a space (Windows drops them, so two keys would share one file)";
        }

        if (IsDeviceName(segment))
        {
            return "is a Windows device name (CON, PRN, AUX, NUL, COM1-9, LPT1-9, also with an extension)";
        }

        if (segment.StartsWith(ReservedTempPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return $"starts with '{ReservedTempPrefix}', reserved for the store's in-progress writes";
        }

        return null;
    }

    private static bool IsDeviceName(string segment)
    {
        // Windows ignores everything from the first dot and trailing spaces before it: "nul.txt", "CON .tar.gz".
        var dot = segment.IndexOf('.');
        var stem = (dot < 0 ? segment : segment[..dot]).TrimEnd(' ');
        foreach (var device in DeviceNames)
        {
            if (string.Equals(stem, device, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
