using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Prxy.Typed;

/// <summary>Which relational backend a <see cref="StorageOptions"/> opens.</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file (embedded default), with sqlite-vec when available.</summary>
    Sqlite,
    /// <summary>PostgreSQL with pgvector.</summary>
    Postgres,
}

/// <summary>Which KV backend a <see cref="StorageOptions"/> opens.</summary>
public enum KvProvider
{
    /// <summary>In-process memory (embedded default).</summary>
    Memory,
    /// <summary>Redis.</summary>
    Redis,
}

/// <summary>Which blob backend a <see cref="StorageOptions"/> opens.</summary>
public enum BlobProvider
{
    /// <summary>Files under a root directory (embedded default <c>~/.prxy/blob</c>).</summary>
    FileSystem,
    /// <summary>S3-compatible object storage (AWS S3, Cloudflare R2, …).</summary>
    S3,
}

/// <summary>
/// Where a module's storage lives. Build it with <see cref="Local"/>, <see cref="FromEnvironment"/> or
/// <see cref="FromConfiguration"/>; any mix of backends works (for example Postgres + memory KV + filesystem blobs).
/// </summary>
public sealed record StorageOptions
{
    /// <summary>Configuration section read by <see cref="FromConfiguration"/> and <c>AddPrxyStorage</c>.</summary>
    public const string SectionName = "Prxy:Storage";

    /// <summary>The relational backend.</summary>
    public DatabaseProvider Database { get; init; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite file path, or an Npgsql connection string for Postgres.</summary>
    public required string DatabaseConnection { get; init; }

    /// <summary>Path of the sqlite-vec loadable extension (<c>vec0.so</c>); null scans vectors in process.</summary>
    public string? SqliteVecPath { get; init; }

    /// <summary>Time a database command may take before it returns a <see cref="DbErrorKind.Timeout"/> error.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>pgvector <c>hnsw.ef_search</c> for filtered vector searches (null keeps the server's default).</summary>
    public int? VectorEfSearch { get; init; }

    /// <summary>The KV backend.</summary>
    public KvProvider Kv { get; init; } = KvProvider.Memory;

    /// <summary>StackExchange.Redis configuration (<c>host:port,password=…</c>) when <see cref="Kv"/> is Redis.</summary>
    public string? RedisConfiguration { get; init; }

    /// <summary>Upper bound of one KV call; an outage never stalls a request longer than this.</summary>
    public TimeSpan KvTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Prefix of every KV key (for example a deployment name); empty by default.</summary>
    public string KvPrefix { get; init; } = "";

    /// <summary>The blob backend.</summary>
    public BlobProvider Blob { get; init; } = BlobProvider.FileSystem;

    /// <summary>Root directory when <see cref="Blob"/> is FileSystem.</summary>
    public string? BlobRoot { get; init; }

    /// <summary>Bucket when <see cref="Blob"/> is S3.</summary>
    public string? S3Bucket { get; init; }

    /// <summary>S3 service URL (R2: <c>https://&lt;account&gt;.r2.cloudflarestorage.com</c>); null for AWS.</summary>
    public string? S3Endpoint { get; init; }

    /// <summary>S3 region (R2: <c>auto</c>).</summary>
    public string? S3Region { get; init; }

    /// <summary>Path-style addressing (needed by most S3-compatible servers).</summary>
    public bool S3ForcePathStyle { get; init; }

    /// <summary>Access key id; null uses the AWS SDK's default credential chain.</summary>
    public string? S3AccessKey { get; init; }

    /// <summary>Secret access key; never logged or shown by <see cref="ToString"/>.</summary>
    public string? S3SecretKey { get; init; }

    /// <summary>Logger factory for every store; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Clock for TTLs and sweeps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The embedded default: <c>prxy.db</c> (SQLite), <c>blob/</c> (files) under <paramref name="dataDirectory"/>
    /// (default <c>PRXY_DATA_DIR</c>, else <c>~/.prxy</c>), and an in-memory KV.
    /// </summary>
    public static StorageOptions Local(string? dataDirectory = null)
    {
        var dir = DefaultDataDirectory(dataDirectory);
        return new StorageOptions
        {
            Database = DatabaseProvider.Sqlite,
            DatabaseConnection = Path.Combine(dir, "prxy.db"),
            SqliteVecPath = NonEmpty(Environment.GetEnvironmentVariable(StorageSettings.SqliteVecVariable)),
            Kv = KvProvider.Memory,
            Blob = BlobProvider.FileSystem,
            BlobRoot = Path.Combine(dir, "blob"),
        };
    }

    /// <summary>
    /// Reads <c>PRXY_DATA_DIR</c>, <c>PRXY_DATABASE_URL</c>, <c>PRXY_REDIS_URL</c>, <c>PRXY_BLOB_URL</c>,
    /// <c>PRXY_SQLITE_VEC</c> and friends (see the README's configuration table); unset settings keep the embedded default.
    /// </summary>
    /// <exception cref="StorageConfigurationException">A setting is invalid; the message names it.</exception>
    public static StorageOptions FromEnvironment() => StorageSettings.FromEnvironment().ToOptions();

    /// <summary>Reads the <c>Prxy:Storage</c> section (keys as in the README's configuration table).</summary>
    /// <exception cref="StorageConfigurationException">A setting is invalid; the message names it.</exception>
    public static StorageOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return StorageSettings.FromConfiguration(configuration).ToOptions();
    }

    /// <summary>Describes the options without secrets.</summary>
    public override string ToString() =>
        $"Database={Database} ({Redaction.ConnectionString(DatabaseConnection)}), Kv={Kv}" +
        (RedisConfiguration is null ? "" : $" ({Redaction.ConnectionString(RedisConfiguration)})") +
        $", Blob={Blob} ({(Blob == BlobProvider.S3 ? $"s3://{S3Bucket} endpoint={S3Endpoint ?? "aws"}" : BlobRoot)})";

    internal static string DefaultDataDirectory(string? dataDirectory) =>
        NonEmpty(dataDirectory)
        ?? NonEmpty(Environment.GetEnvironmentVariable(StorageSettings.DataDirVariable))
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".prxy");

    internal static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>A storage setting is missing or invalid; the message names the setting and what to do.</summary>
public sealed class StorageConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageConfigurationException(string setting, string message, Exception? inner = null)
        : base($"{setting}: {message}", inner) => Setting = setting;

    /// <summary>The setting at fault (environment variable or configuration key).</summary>
    public string Setting { get; }
}
