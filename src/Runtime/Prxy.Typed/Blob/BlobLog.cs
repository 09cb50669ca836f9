using Microsoft.Extensions.Logging;

namespace Prxy.Typed;

/// <summary>Log lines of the blob stores (event ids 8xxx).</summary>
internal static partial class BlobLog
{
    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning,
        Message = "Blob {Operation} of key '{Key}' from the {Backend} failed; returning null as if the key were missing ({Suppressed} similar failures were not logged since the last line)")]
    public static partial void ReadFailed(ILogger logger, string operation, string key, string backend, int suppressed, Exception exception);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning,
        Message = "Blob list under prefix '{Prefix}' in the {Backend} skipped '{Path}': it is a symbolic link that resolves outside the store's root")]
    public static partial void ListSkippedEscapingLink(ILogger logger, string prefix, string backend, string path);
}

/// <summary>
/// Lets one line through per interval and counts the rest, so a store outage on a busy path logs once every few
/// seconds instead of once per request.
/// </summary>
internal sealed class FailureLogThrottle(TimeSpan interval, TimeProvider timeProvider)
{
    private readonly long _intervalTimestamp = (long)(interval.TotalSeconds * timeProvider.TimestampFrequency);
    private long _nextAllowed = long.MinValue;
    private int _suppressed;

    /// <summary>The throttle the stores use: one line per 10 seconds.</summary>
    public FailureLogThrottle()
        : this(TimeSpan.FromSeconds(10), TimeProvider.System)
    {
    }

    /// <summary>True when a line may be written now; <paramref name="suppressed"/> is how many were dropped before it.</summary>
    public bool TryEnter(out int suppressed)
    {
        var now = timeProvider.GetTimestamp();
        var next = Interlocked.Read(ref _nextAllowed);
        if (now >= next && Interlocked.CompareExchange(ref _nextAllowed, now + _intervalTimestamp, next) == next)
        {
            suppressed = Interlocked.Exchange(ref _suppressed, 0);
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        suppressed = 0;
        return false;
    }
}
