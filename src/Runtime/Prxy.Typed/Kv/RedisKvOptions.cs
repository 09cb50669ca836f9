using System.Text;

namespace Prxy.Typed;

/// <summary>How <see cref="RedisKvStore.ConnectAsync"/> reaches Redis and how quickly it gives up.</summary>
public sealed record RedisKvOptions
{
    /// <summary>
    /// The Redis configuration string, e.g. <c>"127.0.0.1:6379,password=…,ssl=true"</c>. It may hold a password,
    /// so it never appears in logs, exception messages or <see cref="ToString"/>.
    /// </summary>
    public required string Configuration { get; init; }

    /// <summary>The most any call waits for Redis before returning its fallback; 250 ms by default.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The most a connection attempt waits; 1 s by default. Connecting never fails: the store starts disconnected and reconnects in the background.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the circuit stays open (every call returns its fallback at once) before one call probes Redis again; 2 s by default.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>At most one warning per kind of operation is logged per interval while Redis is unavailable; 10 s by default.</summary>
    public TimeSpan FailureLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Key and value size limits; <see cref="KvLimits.Default"/> by default.</summary>
    public KvLimits Limits { get; init; } = KvLimits.Default;

    // Keeps the configuration string (and any password in it) out of the generated ToString.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Configuration = (redacted), OperationTimeout = ").Append(OperationTimeout)
            .Append(", ConnectTimeout = ").Append(ConnectTimeout)
            .Append(", BreakDuration = ").Append(BreakDuration)
            .Append(", FailureLogInterval = ").Append(FailureLogInterval)
            .Append(", Limits = ").Append(Limits);
        return true;
    }
}
