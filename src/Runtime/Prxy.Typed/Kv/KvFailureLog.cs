using Microsoft.Extensions.Logging;

namespace Prxy.Typed;

/// <summary>Logs fail-open KV calls at most once per operation per interval, counting the ones it held back.</summary>
internal sealed partial class KvFailureLog(ILogger logger, TimeProvider time, TimeSpan interval)
{
    private static readonly string[] Operations = ["Get", "Set", "SetNx", "Delete", "Ttl", "Increment", "TryLock", "ReleaseLock"];

    private readonly long[] _lastLogged = new long[Operations.Length];
    private readonly int[] _suppressed = new int[Operations.Length];

    /// <summary>Records one failed call; logs it unless this operation was logged within the interval.</summary>
    public void Report(KvOperation operation, string key, Exception exception, string? secret)
    {
        var slot = (int)operation;
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLogged[slot]);
        if (last != 0 && time.GetElapsedTime(last, now) < interval || Interlocked.CompareExchange(ref _lastLogged[slot], now, last) != last)
        {
            Interlocked.Increment(ref _suppressed[slot]);
            return;
        }

        var reason = exception.GetType().Name + ": " + exception.Message;
        if (!string.IsNullOrEmpty(secret))
        {
            reason = reason.Replace(secret, "***", StringComparison.Ordinal);
        }

        FailedOpen(logger, Operations[slot], key, Interlocked.Exchange(ref _suppressed[slot], 0), reason);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "KV store unavailable: {Operation} on key '{Key}' returned its fallback ({Suppressed} more such failures since the last message). {Reason}")]
    private static partial void FailedOpen(ILogger logger, string operation, string key, int suppressed, string reason);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "KV store circuit opened for {BreakDuration}: calls return their fallback without waiting for Redis.")]
    public static partial void CircuitOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "KV store circuit closed: Redis answers again.")]
    public static partial void CircuitClosed(ILogger logger);
}

/// <summary>The KV operations, for rate-limited failure logging.</summary>
internal enum KvOperation
{
    Get,
    Set,
    SetNx,
    Delete,
    Ttl,
    Increment,
    TryLock,
    ReleaseLock,
}
