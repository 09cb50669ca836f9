using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Prxy.Typed;

/// <summary>Registers Prxy.Typed storage in a service collection.</summary>
public static class PrxyStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IPrxyStorage"/> (a singleton, opened on first use from the <c>Prxy:Storage</c> section, with the
    /// container's <see cref="ILoggerFactory"/> and <see cref="TimeProvider"/> when registered), its <see cref="IDatabase"/>,
    /// <see cref="IKvStore"/> and <see cref="IBlobStore"/>, and <see cref="PrxyStorageHealthCheck"/> as an
    /// <see cref="IHealthCheck"/> (add it to health checks with <c>AddCheck&lt;PrxyStorageHealthCheck&gt;("prxy")</c>).
    /// The settings are parsed here, so a bad value fails at registration, naming the setting.
    /// </summary>
    public static IServiceCollection AddPrxyStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = StorageOptions.FromConfiguration(configuration);
        return services.AddPrxyStorage(options);
    }

    /// <summary>Registers storage opened from <paramref name="options"/>; see the configuration overload.</summary>
    public static IServiceCollection AddPrxyStorage(this IServiceCollection services, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton<IPrxyStorage>(sp =>
        {
            var resolved = options with
            {
                LoggerFactory = options.LoggerFactory ?? sp.GetService<ILoggerFactory>(),
                TimeProvider = sp.GetService<TimeProvider>() ?? options.TimeProvider,
            };

            // Opening only prepares pools and clients (no server has to be up), so blocking here is brief.
            return PrxyStorage.OpenAsync(resolved).GetAwaiter().GetResult();
        });
        services.TryAddSingleton(sp => sp.GetRequiredService<IPrxyStorage>().Db);
        services.TryAddSingleton(sp => sp.GetRequiredService<IPrxyStorage>().Kv);
        services.TryAddSingleton(sp => sp.GetRequiredService<IPrxyStorage>().Blob);
        services.TryAddSingleton<PrxyStorageHealthCheck>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHealthCheck, PrxyStorageHealthCheck>(sp => sp.GetRequiredService<PrxyStorageHealthCheck>()));
        return services;
    }
}

/// <summary>Reports <see cref="IPrxyStorage.HealthAsync"/> as a health check: unhealthy when the database is down, degraded when KV or blobs are.</summary>
public sealed class PrxyStorageHealthCheck(IPrxyStorage storage) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = await storage.HealthAsync(cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["vectors"] = health.VectorBackend };
        foreach (var entry in health.Entries)
        {
            data[entry.Store] = $"{entry.Backend} {(entry.IsHealthy ? "ok" : "down")} {entry.Latency.TotalMilliseconds:0.#} ms";
        }

        if (health.IsHealthy)
        {
            return HealthCheckResult.Healthy(health.ToString(), data);
        }

        var failed = string.Join("; ", health.Entries.Where(e => !e.IsHealthy).Select(e => $"{e.Store} ({e.Backend}): {e.Error}"));
        return health["db"].IsHealthy ? HealthCheckResult.Degraded(failed, data: data) : HealthCheckResult.Unhealthy(failed, data: data);
    }
}
