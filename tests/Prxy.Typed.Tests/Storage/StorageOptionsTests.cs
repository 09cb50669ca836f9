using Microsoft.Extensions.Configuration;

namespace Prxy.Typed.Tests.Storage;

public sealed class StorageOptionsTests
{
    private static StorageOptions FromConfig(params (string Key, string Value)[] pairs)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>("Prxy:Storage:" + p.Key, p.Value)))
            .Build();
        return StorageOptions.FromConfiguration(configuration);
    }

    [Fact]
    public void Local_puts_the_database_and_blobs_under_the_data_directory_with_memory_kv()
    {
        var dir = Path.Combine(Path.GetTempPath(), "prxy-local-test");
        var options = StorageOptions.Local(dir);

        Assert.Equal(DatabaseProvider.Sqlite, options.Database);
        Assert.Equal(Path.Combine(dir, "prxy.db"), options.DatabaseConnection);
        Assert.Equal(KvProvider.Memory, options.Kv);
        Assert.Equal(BlobProvider.FileSystem, options.Blob);
        Assert.Equal(Path.Combine(dir, "blob"), options.BlobRoot);
    }

    [Fact]
    public void Cloud_settings_select_postgres_redis_and_s3()
    {
        var options = FromConfig(
            ("DatabaseUrl", "postgres://app:s3cr%40t@db.internal:6543/gateway?sslmode=require"),
            ("RedisUrl", "redis://:hunter2@cache.internal:6380/2"),
            ("BlobUrl", "s3://archive?endpoint=https://acc.r2.cloudflarestorage.com&region=auto&pathStyle=true"));

        Assert.Equal(DatabaseProvider.Postgres, options.Database);
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(options.DatabaseConnection);
        Assert.Equal(("db.internal", 6543, "gateway", "app", "s3cr@t"), (pg.Host, pg.Port, pg.Database, pg.Username, pg.Password));
        Assert.Equal(Npgsql.SslMode.Require, pg.SslMode);

        Assert.Equal(KvProvider.Redis, options.Kv);
        Assert.Equal("cache.internal:6380,password=hunter2,defaultDatabase=2", options.RedisConfiguration);

        Assert.Equal(BlobProvider.S3, options.Blob);
        Assert.Equal(("archive", "https://acc.r2.cloudflarestorage.com", "auto", true), (options.S3Bucket, options.S3Endpoint, options.S3Region, options.S3ForcePathStyle));
    }

    [Fact]
    public void Mixed_settings_keep_the_embedded_default_for_what_is_unset()
    {
        var options = FromConfig(("DatabaseUrl", "Host=127.0.0.1;Port=5432;Database=x;Username=u"), ("DataDir", "/tmp/prxy-mixed"));

        Assert.Equal(DatabaseProvider.Postgres, options.Database);
        Assert.Equal(KvProvider.Memory, options.Kv);
        Assert.Equal(BlobProvider.FileSystem, options.Blob);
        Assert.Equal("/tmp/prxy-mixed/blob", options.BlobRoot);
    }

    [Fact]
    public void A_sqlite_path_or_url_selects_sqlite()
    {
        Assert.Equal("/data/gw.db", FromConfig(("DatabaseUrl", "sqlite:///data/gw.db")).DatabaseConnection);
        Assert.Equal(DatabaseProvider.Sqlite, FromConfig(("DatabaseUrl", "/data/gw.db")).Database);
    }

    [Theory]
    [InlineData("DatabaseUrl", "mysql://u:pw@h/db", "Prxy:Storage:DatabaseUrl")]
    [InlineData("BlobUrl", "s3://?endpoint=x", "Prxy:Storage:BlobUrl")]
    [InlineData("BlobUrl", "s3://b?pathStyle=maybe", "Prxy:Storage:BlobUrl")]
    [InlineData("BlobUrl", "ftp://host/dir", "Prxy:Storage:BlobUrl")]
    [InlineData("KvTimeoutMs", "-5", "Prxy:Storage:KvTimeoutMs")]
    [InlineData("CommandTimeoutSeconds", "soon", "Prxy:Storage:CommandTimeoutSeconds")]
    [InlineData("RedisUrl", "redis://h:1/notanumber", "Prxy:Storage:RedisUrl")]
    public void Invalid_values_fail_naming_the_setting(string key, string value, string setting)
    {
        var error = Assert.Throws<StorageConfigurationException>(() => FromConfig((key, value)));
        Assert.Equal(setting, error.Setting);
        Assert.StartsWith(setting + ": ", error.Message);
    }

    [Fact]
    public void Passwords_never_appear_in_messages_or_ToString()
    {
        var error = Assert.Throws<StorageConfigurationException>(() => FromConfig(("DatabaseUrl", "mysql://user:TopSecret99@h/db")));
        Assert.DoesNotContain("TopSecret99", error.Message);

        var options = FromConfig(("DatabaseUrl", "postgres://user:TopSecret99@h/db"), ("RedisUrl", "redis://:TopSecret99@h:6379"));
        Assert.DoesNotContain("TopSecret99", options.ToString());
        Assert.Contains("h", options.ToString());
    }
}
