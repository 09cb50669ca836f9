using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Prxy.Typed;

/// <summary>Opens a module's storage from <see cref="StorageOptions"/>.</summary>
public static class PrxyStorage
{
    /// <summary>
    /// Opens the database, KV and blob stores the options name. An unreachable server does not fail the open (calls
    /// then fail as the store's policy says and recover by themselves); invalid settings throw
    /// <see cref="StorageConfigurationException"/> naming the setting.
    /// </summary>
    public static async Task<IPrxyStorage> OpenAsync(StorageOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var db = await OpenDatabaseAsync(options, loggers, cancellationToken).ConfigureAwait(false);
        IKvStore? kv = null;
        try
        {
            kv = await OpenKvAsync(options, loggers, cancellationToken).ConfigureAwait(false);
            var blob = OpenBlob(options, loggers);
            return new Storage(db, kv, blob, options);
        }
        catch
        {
            if (kv is not null)
            {
                await kv.DisposeAsync().ConfigureAwait(false);
            }

            await ((IAsyncDisposable)db).DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<SqlDatabase> OpenDatabaseAsync(StorageOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.DatabaseConnection))
        {
            throw new StorageConfigurationException(nameof(StorageOptions.DatabaseConnection), "is empty: give a SQLite file path or a PostgreSQL connection string.");
        }

        var databaseOptions = new DatabaseOptions
        {
            CommandTimeout = options.CommandTimeout,
            Logger = loggers.CreateLogger("Prxy.Typed.Db"),
            SqliteVecPath = options.SqliteVecPath,
            VectorEfSearch = options.VectorEfSearch,
        };
        try
        {
            return options.Database == DatabaseProvider.Postgres
                ? await PostgresDatabase.OpenAsync(options.DatabaseConnection, databaseOptions, cancellationToken).ConfigureAwait(false)
                : await SqliteDatabase.OpenAsync(options.DatabaseConnection, databaseOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            // The provider's message may quote the connection string: keep only its type, and redact what we name.
            throw new StorageConfigurationException(
                nameof(StorageOptions.DatabaseConnection),
                $"{options.Database} could not be opened with '{Redaction.ConnectionString(options.DatabaseConnection)}' ({ex.GetType().Name}). Check the path's directory exists and is writable, or the connection string's keys.");
        }
    }

    private static async Task<IKvStore> OpenKvAsync(StorageOptions options, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        IKvStore store;
        if (options.Kv == KvProvider.Redis)
        {
            if (string.IsNullOrWhiteSpace(options.RedisConfiguration))
            {
                throw new StorageConfigurationException(nameof(StorageOptions.RedisConfiguration), "is empty while Kv is Redis: give host:port (and password=… if needed).");
            }

            try
            {
                store = await RedisKvStore.ConnectAsync(
                    new RedisKvOptions { Configuration = options.RedisConfiguration, OperationTimeout = options.KvTimeout },
                    loggers.CreateLogger("Prxy.Typed.Kv"),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw new StorageConfigurationException(nameof(StorageOptions.RedisConfiguration), $"is not a valid Redis configuration ({ex.GetType().Name}). Use host:port,password=….");
            }
        }
        else
        {
            store = new MemoryKvStore(options.TimeProvider);
        }

        return store;
    }

    private static IBlobStore OpenBlob(StorageOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Prxy.Typed.Blob");
        if (options.Blob == BlobProvider.FileSystem)
        {
            return new FileSystemBlobStore(options.BlobRoot, logger);
        }

        if (string.IsNullOrWhiteSpace(options.S3Bucket))
        {
            throw new StorageConfigurationException(nameof(StorageOptions.S3Bucket), "is empty while Blob is S3: name the bucket (PRXY_BLOB_URL=s3://bucket?…).");
        }

        var s3 = new S3BlobOptions
        {
            Bucket = options.S3Bucket,
            ServiceUrl = options.S3Endpoint,
            Region = options.S3Region,
            ForcePathStyle = options.S3ForcePathStyle,
            AccessKeyId = options.S3AccessKey,
            SecretAccessKey = options.S3SecretKey,
        };
        try
        {
            s3.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new StorageConfigurationException("S3", ex.Message);
        }

        return S3BlobStore.Create(s3, logger);
    }

    /// <summary>The composed storage; disposing it closes every store.</summary>
    private sealed class Storage(SqlDatabase db, IKvStore kv, IBlobStore blob, StorageOptions options) : IPrxyStorage
    {
        private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

        public IDatabase Db => db;

        // The prefix is a view; the root store owns the connection and is what DisposeAsync closes.
        public IKvStore Kv { get; } = new TracedKvStore(options.KvPrefix.Length > 0 ? kv.WithPrefix(options.KvPrefix) : kv, options.Kv == KvProvider.Redis ? "redis" : "memory");

        public IBlobStore Blob { get; } = new TracedBlobStore(blob, options.Blob == BlobProvider.S3 ? "s3" : "filesystem");

        public async Task<StorageHealth> HealthAsync(CancellationToken cancellationToken = default)
        {
            var probes = await Task.WhenAll(
                ProbeAsync("db", options.Database == DatabaseProvider.Postgres ? "postgres" : "sqlite", async ct =>
                {
                    var result = await db.RawAsync("SELECT 1", null, ct).ConfigureAwait(false);
                    return result.Error?.ToString();
                }, cancellationToken),
                ProbeAsync("kv", options.Kv == KvProvider.Redis ? "redis" : "memory", async ct =>
                {
                    var counter = await kv.IncrementAsync("__prxy:health", 1, TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
                    return counter.IsAvailable ? null : "the KV store did not answer within its timeout";
                }, cancellationToken),
                ProbeAsync("blob", options.Blob == BlobProvider.S3 ? "s3" : "filesystem", async ct =>
                {
                    await foreach (var _ in blob.ListAsync("__prxy-health/", ct).ConfigureAwait(false))
                    {
                        break;
                    }

                    return null;
                }, cancellationToken)).ConfigureAwait(false);
            return new StorageHealth(probes, db.VectorBackend);
        }

        private static async Task<StoreHealth> ProbeAsync(string store, string backend, Func<CancellationToken, Task<string?>> probe, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            string? error;
            try
            {
                error = await probe(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error = ex is OperationCanceledException ? $"no answer within {ProbeTimeout.TotalSeconds:0} s" : $"{ex.GetType().Name}: {Redaction.ConnectionString(ex.Message)}";
            }

            return new StoreHealth(store, backend, error is null, Stopwatch.GetElapsedTime(started), error);
        }

        public async ValueTask DisposeAsync()
        {
            await blob.DisposeAsync().ConfigureAwait(false);
            await kv.DisposeAsync().ConfigureAwait(false);
            await ((IAsyncDisposable)db).DisposeAsync().ConfigureAwait(false);
        }
    }
}
