using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Prxy.Typed.Testing;

namespace Prxy.Typed.IntegrationTests.Storage;

[Table("facade_notes")]
public sealed partial record FacadeNote
{
    [PrimaryKey] public required string Id { get; init; }
    public required string Text { get; init; }
}

/// <summary>The storage facade over every mix of backends: open, a round trip per store, health, telemetry, secrets.</summary>
[Collection("telemetry")]
public sealed class StorageFacadeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("prxy-facade-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private StorageOptions Cloud(string schema) => StorageOptions.Local(_dir) with
    {
        Database = DatabaseProvider.Postgres,
        DatabaseConnection = new Npgsql.NpgsqlConnectionStringBuilder(TestServices.Postgres) { SearchPath = schema }.ConnectionString,
        Kv = KvProvider.Redis,
        RedisConfiguration = TestServices.Redis,
        KvPrefix = schema + ":",
        Blob = BlobProvider.S3,
        S3Bucket = TestServices.S3Bucket,
        S3Endpoint = TestServices.S3Endpoint,
        S3Region = "us-east-1",
        S3ForcePathStyle = true,
        S3AccessKey = "S3RVER",
        S3SecretKey = "S3RVER",
    };

    private static async Task<string> NewSchemaAsync()
    {
        var schema = "f_" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = await PostgresDatabase.OpenAsync(TestServices.Postgres);
        (await admin.RawAsync($"CREATE SCHEMA {schema}")).EnsureSuccess();
        return schema;
    }

    private static async Task RoundTripAsync(IPrxyStorage storage, string tag)
    {
        (await storage.Db.RawAsync("CREATE TABLE IF NOT EXISTS facade_notes (id TEXT PRIMARY KEY, text TEXT NOT NULL)")).EnsureSuccess();
        (await storage.Db.From<FacadeNote>().InsertAsync(new FacadeNote { Id = tag, Text = "hello " + tag })).EnsureSuccess();
        var note = (await storage.Db.From<FacadeNote>().Where(FacadeNote.Columns.Id.Eq(tag)).SingleAsync()).EnsureSuccess();
        Assert.Equal("hello " + tag, note.Text);

        await storage.Kv.SetAsync("note:" + tag, "kv " + tag, TimeSpan.FromMinutes(1));
        Assert.Equal("kv " + tag, await storage.Kv.GetAsync("note:" + tag));

        await storage.Blob.PutAsync($"notes/{tag}.txt", "blob " + tag);
        Assert.Equal("blob " + tag, System.Text.Encoding.UTF8.GetString((await storage.Blob.GetAsync($"notes/{tag}.txt"))!));
    }

    [SkippableFact]
    public async Task Local_storage_works_end_to_end_and_is_healthy()
    {
        await using var storage = await PrxyStorage.OpenAsync(StorageOptions.Local(_dir));
        await RoundTripAsync(storage, "local");
        Assert.True(File.Exists(Path.Combine(_dir, "prxy.db")));
        Assert.True(File.Exists(Path.Combine(_dir, "blob", "notes", "local.txt")));

        var health = await storage.HealthAsync();
        Assert.True(health.IsHealthy, health.ToString());
        Assert.Equal(["sqlite", "memory", "filesystem"], health.Entries.Select(e => e.Backend));
        // Local() takes sqlite-vec from PRXY_SQLITE_VEC when it is set (eng/test.sh sets it), else scans.
        Assert.Equal(Environment.GetEnvironmentVariable("PRXY_SQLITE_VEC") is { Length: > 0 } ? "sqlite-vec" : "scan", health.VectorBackend);
    }

    [SkippableFact]
    public async Task Cloud_storage_works_end_to_end_on_the_real_servers()
    {
        var schema = await NewSchemaAsync();
        await using var storage = await PrxyStorage.OpenAsync(Cloud(schema));
        await RoundTripAsync(storage, schema);

        var health = await storage.HealthAsync();
        Assert.True(health.IsHealthy, health.ToString());
        Assert.Equal(["postgres", "redis", "s3"], health.Entries.Select(e => e.Backend));
        Assert.Equal("pgvector", health.VectorBackend);
    }

    [SkippableFact]
    public async Task Mixed_postgres_with_memory_kv_and_filesystem_blobs_works()
    {
        var schema = await NewSchemaAsync();
        var options = Cloud(schema) with { Kv = KvProvider.Memory, Blob = BlobProvider.FileSystem, BlobRoot = Path.Combine(_dir, "blobs") };
        await using var storage = await PrxyStorage.OpenAsync(options);
        await RoundTripAsync(storage, "mixed");
        Assert.True(File.Exists(Path.Combine(_dir, "blobs", "notes", "mixed.txt")));
        Assert.Equal(["postgres", "memory", "filesystem"], (await storage.HealthAsync()).Entries.Select(e => e.Backend));
    }

    [SkippableFact]
    public async Task Health_reports_a_dead_kv_while_the_rest_stays_healthy()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now

        var options = StorageOptions.Local(_dir) with { Kv = KvProvider.Redis, RedisConfiguration = $"127.0.0.1:{port}" };
        await using var storage = await PrxyStorage.OpenAsync(options);
        var health = await storage.HealthAsync();

        Assert.False(health.IsHealthy);
        Assert.False(health["kv"].IsHealthy);
        Assert.NotNull(health["kv"].Error);
        Assert.True(health["db"].IsHealthy);
        Assert.True(health["blob"].IsHealthy);
        Assert.Null(await storage.Kv.GetAsync("anything")); // reads are misses, not exceptions

        var check = await new PrxyStorageHealthCheck(storage).CheckHealthAsync(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext());
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, check.Status);
    }

    [Fact]
    public async Task A_database_path_that_cannot_be_created_fails_at_open_naming_the_setting()
    {
        var blocker = Path.Combine(_dir, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file where a directory should be");
        var options = StorageOptions.Local(_dir) with { DatabaseConnection = Path.Combine(blocker, "prxy.db") };

        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => PrxyStorage.OpenAsync(options));
        Assert.Equal("DatabaseConnection", error.Setting);
    }

    [Fact]
    public async Task S3_without_a_bucket_fails_at_open_naming_the_setting()
    {
        var options = StorageOptions.Local(_dir) with { Blob = BlobProvider.S3, S3Bucket = null };
        var error = await Assert.ThrowsAsync<StorageConfigurationException>(() => PrxyStorage.OpenAsync(options));
        Assert.Equal("S3Bucket", error.Setting);
    }

    [SkippableFact]
    public async Task Spans_and_metrics_follow_the_database_conventions_without_values()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PrxyTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var measurements = new ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == PrxyTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        meters.Start();

        await using var storage = await PrxyStorage.OpenAsync(StorageOptions.Local(_dir));
        await RoundTripAsync(storage, "secret-value-123");

        // A span is current only during its call, and a call that throws before it awaits still ends its span as failed.
        Assert.Null(Activity.Current);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => storage.Kv.GetAsync("").AsTask());
        Assert.Null(Activity.Current);
        Assert.Contains(spans, s => s.GetTagItem("db.system.name") as string == "memory" && s.GetTagItem("error.type") as string is { } e && e.Contains("Argument", StringComparison.Ordinal));

        var all = spans.ToArray();
        var query = Assert.Single(all, s => s.GetTagItem("db.system.name") as string == "sqlite" && s.GetTagItem("db.operation.name") as string == "SELECT");
        Assert.Equal("facade_notes", query.GetTagItem("db.collection.name"));
        Assert.Contains(all, s => s.GetTagItem("db.system.name") as string == "sqlite" && s.GetTagItem("db.operation.name") as string == "INSERT");
        Assert.Contains(all, s => s.GetTagItem("db.system.name") as string == "memory" && s.GetTagItem("db.operation.name") as string == "GET");
        Assert.Contains(all, s => s.GetTagItem("db.system.name") as string == "filesystem" && s.GetTagItem("db.operation.name") as string == "PUT");
        Assert.All(all, s => Assert.Equal(ActivityKind.Client, s.Kind));
        Assert.DoesNotContain(all.SelectMany(s => s.TagObjects), t => t.Value?.ToString()?.Contains("secret-value-123") == true);

        var durations = measurements.Where(m => m.Instrument == "db.client.operation.duration").ToArray();
        Assert.Contains(durations, m => (string?)m.Tags["db.system.name"] == "sqlite" && (string?)m.Tags["db.operation.name"] == "SELECT");
        Assert.Contains(durations, m => (string?)m.Tags["db.system.name"] == "memory");
        Assert.Contains(durations, m => (string?)m.Tags["db.system.name"] == "filesystem");
        Assert.All(durations, m => Assert.True(m.Value >= 0));
    }

    [SkippableFact]
    public async Task A_connection_password_never_appears_in_logs_errors_or_ToString()
    {
        const string secret = "Sup3r-S3cret-Pw";
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(TestServices.Postgres) { Password = secret, Username = "no_such_user" };
        var options = StorageOptions.Local(_dir) with
        {
            Database = DatabaseProvider.Postgres,
            DatabaseConnection = builder.ConnectionString,
            Kv = KvProvider.Redis,
            RedisConfiguration = TestServices.Redis + ",password=" + secret,
            LoggerFactory = factory,
        };

        await using var storage = await PrxyStorage.OpenAsync(options);
        var result = await storage.Db.RawAsync("SELECT 1");
        Assert.NotNull(result.Error);
        _ = await storage.Kv.GetAsync("k");
        var health = await storage.HealthAsync();

        var everything = string.Join("\n", logs.Lines) + result.Error!.ToString() + result.Error.Exception + health + options;
        Assert.DoesNotContain(secret, everything);
        Assert.NotEmpty(logs.Lines); // the failures were logged, just without the secret
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Lines.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
