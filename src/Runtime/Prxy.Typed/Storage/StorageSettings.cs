using System.Globalization;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Prxy.Typed;

/// <summary>The flat, string-valued settings (environment or configuration) and their one parser into <see cref="StorageOptions"/>.</summary>
internal sealed record StorageSettings
{
    internal const string DataDirVariable = "PRXY_DATA_DIR";
    internal const string SqliteVecVariable = "PRXY_SQLITE_VEC";

    // (environment variable, configuration key) of every setting; the README's configuration table lists the same.
    private static readonly (string Env, string Key)[] Names =
    [
        (DataDirVariable, "DataDir"),
        ("PRXY_DATABASE_URL", "DatabaseUrl"),
        (SqliteVecVariable, "SqliteVec"),
        ("PRXY_DB_COMMAND_TIMEOUT", "CommandTimeoutSeconds"),
        ("PRXY_VECTOR_EF_SEARCH", "VectorEfSearch"),
        ("PRXY_REDIS_URL", "RedisUrl"),
        ("PRXY_KV_TIMEOUT_MS", "KvTimeoutMs"),
        ("PRXY_KV_PREFIX", "KvPrefix"),
        ("PRXY_BLOB_URL", "BlobUrl"),
        ("PRXY_S3_ACCESS_KEY", "S3AccessKey"),
        ("PRXY_S3_SECRET_KEY", "S3SecretKey"),
    ];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Func<string, string> _nameOf;

    private StorageSettings(Func<string, string> nameOf) => _nameOf = nameOf;

    public static StorageSettings FromEnvironment() => From(name => Environment.GetEnvironmentVariable(name), useEnvNames: true);

    public static StorageSettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(StorageOptions.SectionName);
        return From(key => section[key], useEnvNames: false);
    }

    private static StorageSettings From(Func<string, string?> read, bool useEnvNames)
    {
        var envToKey = Names.ToDictionary(n => n.Env, n => n.Key, StringComparer.Ordinal);
        var settings = new StorageSettings(env => useEnvNames ? env : $"{StorageOptions.SectionName}:{envToKey[env]}");
        foreach (var (env, key) in Names)
        {
            var value = read(useEnvNames ? env : key);
            if (!string.IsNullOrWhiteSpace(value))
            {
                settings._values[env] = value.Trim();
            }
        }

        return settings;
    }

    private string? Get(string env) => _values.GetValueOrDefault(env);

    public StorageOptions ToOptions()
    {
        var local = StorageOptions.Local(Get(DataDirVariable));
        var options = local with { SqliteVecPath = Get(SqliteVecVariable) };
        options = ApplyDatabase(options);
        options = ApplyKv(options);
        options = ApplyBlob(options);
        return options;
    }

    private StorageOptions ApplyDatabase(StorageOptions options)
    {
        if (PositiveInt("PRXY_DB_COMMAND_TIMEOUT") is { } seconds)
        {
            options = options with { CommandTimeout = TimeSpan.FromSeconds(seconds) };
        }

        if (PositiveInt("PRXY_VECTOR_EF_SEARCH") is { } ef)
        {
            options = options with { VectorEfSearch = ef };
        }

        const string setting = "PRXY_DATABASE_URL";
        if (Get(setting) is not { } url)
        {
            return options;
        }

        if (url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return options with { Database = DatabaseProvider.Postgres, DatabaseConnection = PostgresUrl(setting, url) };
        }

        if (url.Contains('=', StringComparison.Ordinal) && url.Contains("host", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(url);
            }
            catch (ArgumentException e)
            {
                throw Invalid(setting, "is not a valid PostgreSQL connection string (" + e.GetType().Name + "). Use postgres://user:password@host:5432/db or Host=…;Database=…", null);
            }

            return options with { Database = DatabaseProvider.Postgres, DatabaseConnection = url };
        }

        var path = url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? url["sqlite:".Length..].TrimStart('/') : url;
        if (url.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase))
        {
            path = "/" + path;
        }

        if (path.Length == 0 || path.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(setting, $"'{Redaction.ConnectionString(url)}' is neither a postgres:// URL, an Npgsql connection string nor a SQLite file path.", null);
        }

        return options with { Database = DatabaseProvider.Sqlite, DatabaseConnection = Path.GetFullPath(path) };
    }

    private StorageOptions ApplyKv(StorageOptions options)
    {
        if (PositiveInt("PRXY_KV_TIMEOUT_MS") is { } ms)
        {
            options = options with { KvTimeout = TimeSpan.FromMilliseconds(ms) };
        }

        if (Get("PRXY_KV_PREFIX") is { } prefix)
        {
            options = options with { KvPrefix = prefix };
        }

        const string setting = "PRXY_REDIS_URL";
        if (Get(setting) is not { } url || url.Equals("memory", StringComparison.OrdinalIgnoreCase))
        {
            return options;
        }

        return options with { Kv = KvProvider.Redis, RedisConfiguration = RedisUrl(setting, url) };
    }

    private StorageOptions ApplyBlob(StorageOptions options)
    {
        options = options with { S3AccessKey = Get("PRXY_S3_ACCESS_KEY"), S3SecretKey = Get("PRXY_S3_SECRET_KEY") };
        const string setting = "PRXY_BLOB_URL";
        if (Get(setting) is not { } url)
        {
            return options;
        }

        if (url.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                throw Invalid(setting, $"'{url}' has no bucket. Use s3://bucket?endpoint=https://…&region=auto&pathStyle=true", null);
            }

            var query = ParseQuery(uri.Query);
            var pathStyle = false;
            if (query.TryGetValue("pathStyle", out var ps) && !bool.TryParse(ps, out pathStyle))
            {
                throw Invalid(setting, $"pathStyle='{ps}' is not true or false.", null);
            }

            if (query.TryGetValue("endpoint", out var endpoint) && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            {
                throw Invalid(setting, $"endpoint='{endpoint}' is not an absolute URL.", null);
            }

            return options with
            {
                Blob = BlobProvider.S3,
                S3Bucket = uri.Host,
                S3Endpoint = endpoint,
                S3Region = query.GetValueOrDefault("region"),
                S3ForcePathStyle = pathStyle,
            };
        }

        var root = url.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(url).LocalPath : url;
        if (root.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(setting, $"'{url}' is neither an s3:// URL nor a directory. Use s3://bucket?… or a path.", null);
        }

        return options with { Blob = BlobProvider.FileSystem, BlobRoot = Path.GetFullPath(root) };
    }

    private int? PositiveInt(string env)
    {
        if (Get(env) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw Invalid(env, $"'{text}' is not a positive whole number.", null);
    }

    private StorageConfigurationException Invalid(string env, string message, Exception? inner) => new(_nameOf(env), message, inner);

    private string PostgresUrl(string setting, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid(setting, $"'{Redaction.ConnectionString(url)}' is not a valid postgres:// URL. Use postgres://user:password@host:5432/database", null);
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : null,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var (key, value) in ParseQuery(uri.Query))
        {
            try
            {
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = value;
            }
            catch (ArgumentException)
            {
                throw Invalid(setting, $"unknown connection option '{key}' in the URL's query.", null);
            }
        }

        return builder.ConnectionString;
    }

    private string RedisUrl(string setting, string url)
    {
        if (!url.StartsWith("redis://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            return url; // already a StackExchange.Redis configuration string (host:port,password=…)
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid(setting, $"'{Redaction.ConnectionString(url)}' is not a valid redis:// URL. Use redis://:password@host:6379/0", null);
        }

        var parts = new List<string> { $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}" };
        if (uri.UserInfo.Length > 0)
        {
            var info = uri.UserInfo.Split(':', 2);
            if (info.Length == 2)
            {
                if (info[0].Length > 0)
                {
                    parts.Add("user=" + Uri.UnescapeDataString(info[0]));
                }

                parts.Add("password=" + Uri.UnescapeDataString(info[1]));
            }
            else
            {
                parts.Add("password=" + Uri.UnescapeDataString(info[0]));
            }
        }

        if (uri.Scheme.Equals("rediss", StringComparison.OrdinalIgnoreCase))
        {
            parts.Add("ssl=true");
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.Integer, CultureInfo.InvariantCulture, out var db) || db < 0)
            {
                throw Invalid(setting, $"database '{path}' in the URL's path is not a number.", null);
            }

            parts.Add("defaultDatabase=" + db.ToString(CultureInfo.InvariantCulture));
        }

        return string.Join(',', parts);
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            result[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
        }

        return result;
    }
}
