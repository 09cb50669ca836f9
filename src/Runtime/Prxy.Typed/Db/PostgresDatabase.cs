using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pgvector.Npgsql;

namespace Prxy.Typed;

/// <summary>
/// A PostgreSQL database through pooled <see cref="NpgsqlDataSource"/>s with pgvector types registered. Query shapes run
/// outside transactions on a pool that skips the session reset between uses (they cannot change session state, and the
/// reset costs a server round of statements per call); raw SQL, transactions and <see cref="OpenConnectionAsync"/> get
/// connections that are reset when returned.
/// </summary>
public sealed class PostgresDatabase : SqlDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _shapes;

    private readonly Version? _pgvector;

    private PostgresDatabase(NpgsqlDataSource dataSource, NpgsqlDataSource shapes, Version? pgvector, DatabaseOptions options)
        : base(new PostgresDialect(), options)
    {
        _dataSource = dataSource;
        _shapes = shapes;
        _pgvector = pgvector;
    }

    /// <summary>The pgvector version installed in the database, read when storage opened; null when it is not installed.</summary>
    public Version? PgvectorVersion => _pgvector;

    /// <summary>"pgvector", or "none" when the extension is not installed.</summary>
    internal override string VectorBackend => _pgvector is null ? "none" : "pgvector";

    internal override string? VectorDistanceSql(string quotedColumn, string placeholder) => $"{quotedColumn} <=> {placeholder}";

    internal override Task<DbResult<IReadOnlyList<Scored<T>>>> VectorSearchAsync<T>(SqlDatabase executor, VectorSearch search, CancellationToken cancellationToken)
        => PostgresVectorSearch.RunAsync<T>(executor, search, iterativeScan: _pgvector >= IterativeScans, Options.VectorEfSearch, cancellationToken);

    /// <summary>The first pgvector release with iterative index scans, which keep filtered searches at k rows.</summary>
    private static readonly Version IterativeScans = new(0, 8, 0);

    /// <summary>
    /// Creates the data source for <paramref name="connectionString"/>. It does not fail when the server is down: calls return
    /// <see cref="DbErrorKind.Unavailable"/> until it is back. The <c>vector</c> extension is created first (when allowed and
    /// reachable) so pgvector types load with the first connection.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static async Task<PostgresDatabase> OpenAsync(string connectionString, DatabaseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        options ??= new DatabaseOptions();
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = options.CommandTimeoutSeconds,
            CommandTimeout = options.CommandTimeoutSeconds,
            // After a command times out, do not wait long for the server to confirm the cancel: a frozen server never does,
            // and the call should return about when its timeout says.
            CancellationTimeout = -1,
        };

        // Prepare each physical connection's most used statements on the server (query shapes have stable SQL text), unless the
        // connection string says otherwise. A `SELECT *` prepared before an ALTER TABLE is refused once and run again.
        if (!connectionString.Replace(" ", "", StringComparison.Ordinal).Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }
        if (options.CreateVectorExtension)
        {
            await TryCreateVectorExtensionAsync(builder.ConnectionString, options.Logger, cancellationToken).ConfigureAwait(false);
        }

        var dataSource = Build(builder.ConnectionString);
        var pgvector = await ReadPgvectorVersionAsync(dataSource, options.Logger, cancellationToken).ConfigureAwait(false);
        builder.NoResetOnClose = true;
        return new PostgresDatabase(dataSource, Build(builder.ConnectionString), pgvector, options);
    }

    private static NpgsqlDataSource Build(string connectionString)
    {
        var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
        dataSourceBuilder.UseVector();
        return dataSourceBuilder.Build();
    }

    private static async Task<Version?> ReadPgvectorVersionAsync(NpgsqlDataSource dataSource, ILogger? logger, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
            var text = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            if (text is null || !Version.TryParse(text.Split('-')[0], out var version))
            {
                logger?.LogWarning("pgvector is not installed in this database; vector columns and searches will fail until `CREATE EXTENSION vector` runs.");
                return null;
            }

            if (version < IterativeScans)
            {
                logger?.LogWarning("pgvector {Version} has no iterative index scans; filtered vector searches may return fewer than k rows. Upgrade to 0.8 or later.", text);
            }

            return version;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            logger?.LogWarning(ex, "Could not read the pgvector version: {Reason}", ex.Message);
            return null;
        }
    }

    private static async Task TryCreateVectorExtensionAsync(string connectionString, ILogger? logger, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS vector", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or IOException)
        {
            // Not fatal: plain tables work without pgvector; vector columns will report the missing type.
            logger?.LogWarning(ex, "Could not create the pgvector extension: {Reason}", ex.Message);
        }
        finally
        {
            NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        }
    }

    /// <inheritdoc />
    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
        => await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    private protected override async ValueTask<ConnectionLease> AcquireAsync(bool write, bool shape, CancellationToken cancellationToken)
    {
        var connection = await (shape ? _shapes : _dataSource).OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return new ConnectionLease(connection, null, null, static lease => lease.Connection.DisposeAsync());
    }

    private protected override void OnUnavailable()
    {
        _dataSource.Clear();
        _shapes.Clear();
    }

    private protected override bool NeedsDeadline => true;

    /// <summary>Closes the data sources and their pooled connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _shapes.DisposeAsync().ConfigureAwait(false);
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
