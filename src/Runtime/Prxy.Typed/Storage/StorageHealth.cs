namespace Prxy.Typed;

/// <summary>The health of one store.</summary>
/// <param name="Store">"db", "kv" or "blob".</param>
/// <param name="Backend">"sqlite", "postgres", "memory", "redis", "filesystem" or "s3".</param>
/// <param name="IsHealthy">Whether the probe succeeded.</param>
/// <param name="Latency">How long the probe took.</param>
/// <param name="Error">Why it failed (no secrets), when it did.</param>
public sealed record StoreHealth(string Store, string Backend, bool IsHealthy, TimeSpan Latency, string? Error = null);

/// <summary>The result of <see cref="IPrxyStorage.HealthAsync"/>.</summary>
/// <param name="Entries">One entry per store.</param>
/// <param name="VectorBackend">Which backend serves vector search: "pgvector", "sqlite-vec" or "scan".</param>
public sealed record StorageHealth(IReadOnlyList<StoreHealth> Entries, string VectorBackend)
{
    /// <summary>True when every store is healthy.</summary>
    public bool IsHealthy => Entries.All(e => e.IsHealthy);

    /// <summary>The entry of <paramref name="store"/> ("db", "kv", "blob").</summary>
    public StoreHealth this[string store] => Entries.First(e => e.Store == store);

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", Entries.Select(e => $"{e.Store}={e.Backend}:{(e.IsHealthy ? "ok" : "down")} {e.Latency.TotalMilliseconds:0.#}ms")) + $", vectors={VectorBackend}";
}
