using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Prxy.Typed;

/// <summary>
/// A SQLite database file in WAL mode. Writes go through one writer connection guarded by an async lock (SQLite allows one
/// writer at a time; queuing in-process avoids SQLITE_BUSY storms); reads use pooled connections that WAL lets run beside the
/// writer. Every connection has foreign keys on, case-sensitive LIKE and a Unicode case-folding function for ILIKE.
/// </summary>
public sealed class SqliteDatabase : SqlDatabase, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly PreparedCommands _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    // Open, configured reader connections kept between calls, each with its prepared commands: opening one costs a function
    // registration, a PRAGMA and (with sqlite-vec) an extension load, and preparing a statement costs a parse and a plan;
    // both dominated point reads in the benchmarks.
    private readonly Stack<PreparedCommands> _idleReaders = new(MaxIdleReaders); // guarded by itself; held for a push or pop only
    private const int MaxIdleReaders = 16;
    private int _disposed;

    private readonly string? _sqliteVec;
    private readonly Func<ConnectionLease, ValueTask> _returnReader;
    private readonly Func<ConnectionLease, ValueTask> _releaseWriter;

    private SqliteDatabase(string connectionString, SqliteConnection writer, string? sqliteVec, DatabaseOptions options)
        : base(new SqliteDialect(), options)
    {
        _connectionString = connectionString;
        _writer = new PreparedCommands(writer);
        _sqliteVec = sqliteVec;
        _returnReader = ReturnReader;
        _releaseWriter = ReleaseWriter;
    }

    /// <summary>"sqlite-vec" when the extension loaded, else "scan".</summary>
    internal override string VectorBackend => _sqliteVec is null ? "scan" : "sqlite-vec";

    internal override string? VectorDistanceSql(string quotedColumn, string placeholder) =>
        _sqliteVec is null ? null : $"vec_distance_cosine({quotedColumn}, {placeholder})";

    internal override Task<DbResult<IReadOnlyList<Scored<T>>>> VectorSearchAsync<T>(SqlDatabase executor, VectorSearch search, CancellationToken cancellationToken)
        => _sqliteVec is null
            ? SqliteVectorSearch.ScanAsync<T>(executor, search, cancellationToken)
            : SqliteVectorSearch.WithSqliteVecAsync<T>(executor, search, cancellationToken);

    /// <summary>The database file.</summary>
    public string Path => new SqliteConnectionStringBuilder(_connectionString).DataSource;

    /// <summary>Opens (creating if needed) the database at <paramref name="path"/> and switches it to WAL mode.</summary>
    /// <exception cref="SqliteException">The file cannot be opened or created.</exception>
    public static async Task<SqliteDatabase> OpenAsync(string path, DatabaseOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new DatabaseOptions();
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = options.CommandTimeoutSeconds,
        }.ToString();
        var sqliteVec = ProbeSqliteVec(connectionString, options);
        var writer = await OpenConfiguredAsync(connectionString, sqliteVec, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = writer.CreateCommand();
            // WAL is persistent in the file; synchronous=NORMAL is safe under WAL and avoids an fsync per commit.
            command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await writer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SqliteDatabase(connectionString, writer, sqliteVec, options);
    }

    /// <summary>Loads sqlite-vec once to see whether it works here; a missing or broken file means the in-process scan.</summary>
    private static string? ProbeSqliteVec(string connectionString, DatabaseOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SqliteVecPath))
        {
            return null;
        }

        using var probe = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            probe.LoadExtension(options.SqliteVecPath);
            probe.Open();
            using var command = probe.CreateCommand();
            command.CommandText = "SELECT vec_version()";
            command.ExecuteScalar();
            return options.SqliteVecPath;
        }
        catch (SqliteException ex)
        {
            options.Logger?.LogWarning("sqlite-vec could not be loaded from {Path} ({Reason}); vector search scans in process instead.", options.SqliteVecPath, ex.Message);
            return null;
        }
    }

    private static async Task<SqliteConnection> OpenConfiguredAsync(string connectionString, string? sqliteVec, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        if (sqliteVec is not null)
        {
            connection.LoadExtension(sqliteVec);
        }

        connection.CreateFunction<string?, string?>(SqliteDialect.LowerFunction, static s => s?.ToLowerInvariant(), isDeterministic: true);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA case_sensitive_like=ON;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
        => await OpenConfiguredAsync(_connectionString, _sqliteVec, cancellationToken).ConfigureAwait(false);

    private protected override async ValueTask<ConnectionLease> AcquireAsync(bool write, bool shape, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!write)
        {
            PreparedCommands? reader;
            lock (_idleReaders)
            {
                _idleReaders.TryPop(out reader);
            }

            reader ??= new PreparedCommands(await OpenConfiguredAsync(_connectionString, _sqliteVec, cancellationToken).ConfigureAwait(false));

            return new ConnectionLease(reader.Connection, null, reader, _returnReader);
        }

        if (!await _writeLock.WaitAsync(Options.CommandTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException("waiting for the SQLite writer timed out");
        }

        return new ConnectionLease(_writer.Connection, null, _writer, _releaseWriter);
    }

    private ValueTask ReturnReader(ConnectionLease lease)
    {
        var reader = lease.Commands!;
        if (reader.Connection.State == System.Data.ConnectionState.Open)
        {
            lock (_idleReaders)
            {
                // Checked under the lock DisposeAsync drains the stack with, so a late return is never left open.
                if (_disposed == 0 && _idleReaders.Count < MaxIdleReaders)
                {
                    _idleReaders.Push(reader);
                    return ValueTask.CompletedTask;
                }
            }
        }

        return reader.DisposeAsync();
    }

    private ValueTask ReleaseWriter(ConnectionLease lease)
    {
        _writeLock.Release();
        return ValueTask.CompletedTask;
    }

    /// <summary>Prepared commands kept on the writer and the idle readers (for tests of the command cache).</summary>
    internal int KeptCommandCount
    {
        get
        {
            lock (_idleReaders)
            {
                return _writer.Count + _idleReaders.Sum(r => r.Count);
            }
        }
    }

    /// <summary>Closes the writer connection and clears the reader pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writeLock.WaitAsync(Options.CommandTimeout).ConfigureAwait(false);
        await _writer.DisposeAsync().ConfigureAwait(false);
        PreparedCommands[] idle;
        lock (_idleReaders)
        {
            idle = [.. _idleReaders];
            _idleReaders.Clear();
        }

        foreach (var reader in idle)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }

        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }
}
