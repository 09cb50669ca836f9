using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Prxy.Typed;

/// <summary>
/// The query engine shared by <see cref="SqliteDatabase"/> and <see cref="PostgresDatabase"/>: runs statements on a leased
/// connection and turns every provider failure into a <see cref="DbError"/> value. Dialect differences live in the dialect object.
/// </summary>
public abstract class SqlDatabase : IDatabase
{
    private readonly FailureLog _failures;
    private Task<LiveSchema>? _schema;

    private protected SqlDatabase(SqlDialect dialect, DatabaseOptions options)
    {
        Dialect = dialect;
        Options = options;
        _failures = new FailureLog(options.Logger);
    }

    /// <inheritdoc />
    SqlDialectKind ISqlConnectionFactory.Dialect => Dialect.Kind;

    internal SqlDialect Dialect { get; }

    internal DatabaseOptions Options { get; }

    /// <inheritdoc />
    public TableQuery<T> From<T>() where T : ITable<T>
    {
        // Queries are immutable, so one unfiltered query per table serves every caller of this database.
        var index = QuerySlot<T>.Index;
        var starts = _starts;
        if (index < starts.Length && starts[index] is TableQuery<T> query)
        {
            return query;
        }

        query = new TableQuery<T>(this);
        if (index >= starts.Length)
        {
            var grown = new object?[Math.Max(index + 1, starts.Length * 2)];
            starts.CopyTo(grown, 0);
            _starts = starts = grown; // a racing caller may lose its entry: it is a cache, the next call adds it again
        }

        starts[index] = query;
        return query;
    }

    private object?[] _starts = [];

    /// <summary>A small number per table record type, the index of its unfiltered query in <see cref="_starts"/>.</summary>
    private static class QuerySlot<T>
    {
        public static readonly int Index = Interlocked.Increment(ref s_nextQuerySlot) - 1;
    }

    private static int s_nextQuerySlot;

    /// <inheritdoc />
    public RowQuery From(string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new RowQuery(this, table);
    }

    /// <inheritdoc />
    public abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default);

    /// <inheritdoc />
    public virtual void InvalidateSchema() => _schema = null;

    /// <summary>The database that owns the connections (a transaction's parent), which chooses the vector backend.</summary>
    internal virtual SqlDatabase Root => this;

    /// <summary>Which backend serves vector search: "pgvector", "sqlite-vec" or "scan".</summary>
    internal abstract string VectorBackend { get; }

    /// <summary>Runs a validated vector search on <paramref name="executor"/> (this database or a transaction bound to it).</summary>
    internal abstract Task<DbResult<IReadOnlyList<Scored<T>>>> VectorSearchAsync<T>(SqlDatabase executor, VectorSearch search, CancellationToken cancellationToken)
        where T : ITable<T>;

    /// <summary>SQL for the cosine distance between a vector column and a parameter, or null when vectors are scored in process.</summary>
    internal abstract string? VectorDistanceSql(string quotedColumn, string placeholder);

    /// <summary>
    /// Leases a connection: for writes on SQLite the single writer, otherwise a pooled connection; inside a transaction, its
    /// connection. <paramref name="shape"/> says the lease runs one query-shape statement (checked identifiers and
    /// placeholders only), which cannot change session state, so a pool that skips the per-use session reset may serve it.
    /// </summary>
    private protected abstract ValueTask<ConnectionLease> AcquireAsync(bool write, bool shape, CancellationToken cancellationToken);

    /// <summary>
    /// True when the provider's own timeouts may not bound a call (a frozen server can hold a socket read well past the
    /// command timeout); each call then also carries a deadline of the command timeout plus a second.
    /// </summary>
    private protected virtual bool NeedsDeadline => false;

    private CallDeadline Deadline(CancellationToken cancellationToken)
    {
        if (!NeedsDeadline)
        {
            return new CallDeadline(null, cancellationToken);
        }

        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(Options.CommandTimeout + TimeSpan.FromSeconds(1));
        return new CallDeadline(source, source.Token);
    }

    private readonly struct CallDeadline(CancellationTokenSource? source, CancellationToken token) : IDisposable
    {
        public CancellationToken Token { get; } = token;

        public void Dispose() => source?.Dispose();
    }

    /// <summary>Called when a call failed as Unavailable, so stale pooled connections are dropped before the next call.</summary>
    private protected virtual void OnUnavailable()
    {
    }

    /// <inheritdoc />
    public Task<DbResult<IReadOnlyList<DbRow>>> RawAsync(string sql, IReadOnlyList<object?>? args = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var command = new SqlCommandText(sql, args ?? []);
        return ReadRowsAsync(command, write: true, "raw SQL", cancellationToken);
    }

    /// <inheritdoc />
    public async Task<DbResult<bool>> TransactionAsync(Func<IDatabase, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return await TransactionAsync<bool>(
            async tx =>
            {
                await work(tx).ConfigureAwait(false);
                return DbResult<bool>.Success(true);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public virtual async Task<DbResult<TResult>> TransactionAsync<TResult>(Func<IDatabase, Task<DbResult<TResult>>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ConnectionLease lease;
        try
        {
            lease = await AcquireAsync(write: true, shape: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            return Fail(ex, "transaction", cancellationToken);
        }

        await using (lease.ConfigureAwait(false))
        {
            DbTransaction transaction;
            try
            {
                transaction = await lease.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                return Fail(ex, "transaction", cancellationToken);
            }

            await using (transaction.ConfigureAwait(false))
            {
                var bound = new TransactionDatabase(this, lease.Connection, transaction, lease.Commands);
                DbResult<TResult> result;
                try
                {
                    result = await work(bound).ConfigureAwait(false);
                }
                catch (DbException db)
                {
                    await RollbackAsync(transaction).ConfigureAwait(false);
                    return db.Error;
                }
                catch
                {
                    await RollbackAsync(transaction).ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    bound.Close();
                }

                if (!result.IsSuccess)
                {
                    await RollbackAsync(transaction).ConfigureAwait(false);
                    return result;
                }

                try
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
                catch (Exception ex)
                {
                    return Fail(ex, "transaction commit", cancellationToken);
                }
            }
        }
    }

    private async Task RollbackAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The connection is probably gone, which rolls the transaction back anyway.
            _failures.Log(new DbError(DbErrorKind.Unavailable, "transaction rollback failed: " + ex.Message, ex));
        }
    }

    internal Task<DbResult<IReadOnlyList<DbRow>>> ReadRowsAsync(SqlCommandText statement, bool write, string what, CancellationToken cancellationToken)
        => RunAsync(statement, write, what, Dialect, static async (command, dialect, ct) =>
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var rows = new List<DbRow>();
            do
            {
                RowShape? shape = null;
                while (reader.FieldCount > 0 && await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    shape ??= ShapeOf(reader);
                    var values = new object?[reader.FieldCount];
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = dialect.ReadValue(reader, i);
                    }

                    rows.Add(new DbRow(shape, values));
                }
            }
            while (await reader.NextResultAsync(ct).ConfigureAwait(false));

            return DbResult<IReadOnlyList<DbRow>>.Success(rows);
        }, cancellationToken);

    /// <summary>Runs <paramref name="statement"/> and hands the open reader to <paramref name="consume"/>; failures become error values.</summary>
    internal Task<DbResult<TResult>> ReadAsync<TResult>(SqlCommandText statement, string what, Func<DbDataReader, CancellationToken, Task<TResult>> consume, CancellationToken cancellationToken)
        => RunAsync(statement, write: false, what, consume, static async (command, consume, ct) =>
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return DbResult<TResult>.Success(await consume(reader, ct).ConfigureAwait(false));
        }, cancellationToken);

    /// <summary>
    /// The one path every statement takes: lease a connection, run <paramref name="body"/> on the command under the call's
    /// deadline, record a span, and turn any failure into an error value. Where the provider may outlive its own timeouts
    /// (see <see cref="NeedsDeadline"/>), the caller gets a Timeout error at the deadline and the abandoned call finishes (and
    /// returns its connection) in the background.
    /// </summary>
    private Task<DbResult<TResult>> RunAsync<TState, TResult>(
        SqlCommandText statement, bool write, string what, TState state, Func<DbCommand, TState, CancellationToken, ValueTask<DbResult<TResult>>> body, CancellationToken cancellationToken)
        => NeedsDeadline
            ? BoundedAsync(statement, write, what, state, body, cancellationToken)
            : RunCoreAsync(statement, write, what, state, body, cancellationToken, cancellationToken);

    /// <summary>
    /// One timer bounds the call: at the deadline it cancels the statement (for the provider) and the wait (for the caller,
    /// who gets a Timeout error even when the provider does not react to the cancellation).
    /// </summary>
    private async Task<DbResult<TResult>> BoundedAsync<TState, TResult>(
        SqlCommandText statement, bool write, string what, TState state, Func<DbCommand, TState, CancellationToken, ValueTask<DbResult<TResult>>> body, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Options.CommandTimeout + TimeSpan.FromSeconds(1));
        var call = RunCoreAsync(statement, write, what, state, body, deadline.Token, cancellationToken);
        try
        {
            return await call.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            return call.IsCompleted ? await call.ConfigureAwait(false) : Fail(ex, what, cancellationToken);
        }
    }

    /// <summary>Runs the statement under <paramref name="token"/>; <paramref name="callerToken"/> tells a caller's cancellation from a timeout.</summary>
    private async Task<DbResult<TResult>> RunCoreAsync<TState, TResult>(
        SqlCommandText statement, bool write, string what, TState state, Func<DbCommand, TState, CancellationToken, ValueTask<DbResult<TResult>>> body,
        CancellationToken token, CancellationToken callerToken)
    {
        var op = Trace(statement, what);
        DbError? failure = null;
        try
        {
            var lease = await AcquireAsync(write, statement.Reusable, token).ConfigureAwait(false);
            try // not `await using (lease.ConfigureAwait(false))`, which boxes the lease on every call
            {
                for (var attempt = 0; ; attempt++)
                {
                    var command = TakeCommand(lease, statement);
                    var completed = false;
                    try
                    {
                        var result = await body(command, state, token).ConfigureAwait(false);
                        completed = true;
                        return result;
                    }
                    catch (Exception ex) when (attempt == 0 && lease.Transaction is null && Dialect.IsStalePreparedStatement(ex))
                    {
                        // A statement prepared on this connection outlived a schema change and was refused before it ran;
                        // the provider has dropped it, so the second run prepares it again.
                    }
                    finally
                    {
                        ReturnCommand(lease, statement, command, completed);
                    }
                }
            }
            finally
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            return failure = Fail(ex, what, callerToken);
        }
        finally
        {
            op.End(failure?.Kind.ToString());
        }
    }

    /// <summary>Starts a span and a duration measurement for <paramref name="statement"/>, only when someone listens.</summary>
    private PrxyTelemetry.Operation Trace(in SqlCommandText statement, string what) =>
        PrxyTelemetry.IsEnabled ? PrxyTelemetry.Start(Dialect.SystemName, OperationOf(statement.Sql), CollectionOf(what)) : default;

    /// <summary>The statement's leading keyword (a low-cardinality operation name).</summary>
    private static string OperationOf(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        var end = text.IndexOfAny(' ', '\n', '(');
        var keyword = end < 0 ? text : text[..end];
        foreach (var known in KnownOperations)
        {
            if (keyword.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return "SQL";
    }

    private static readonly string[] KnownOperations = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "ALTER", "DROP", "SET", "EXPLAIN"];

    /// <summary>The table a "table 'x'" description names, or null.</summary>
    private static string? CollectionOf(string what) =>
        what.StartsWith("table '", StringComparison.Ordinal) && what.IndexOf('\'', 7) is var end and > 7 ? what[7..end] : null;

    private static RowShape ShapeOf(DbDataReader reader)
    {
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
        }

        return new RowShape(names);
    }

    internal Task<DbResult<IReadOnlyList<T>>> ReadRecordsAsync<T>(SqlCommandText statement, string what, CancellationToken cancellationToken)
        where T : IRecord<T>
        => RunAsync(statement, write: false, what, Dialect, static async (command, dialect, ct) =>
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var list = new List<T>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                list.Add(dialect.Read<T>(reader));
            }

            return DbResult<IReadOnlyList<T>>.Success(list);
        }, cancellationToken);

    /// <summary>
    /// Reads the one row <paramref name="statement"/> returns (it asks for at most two): <see cref="DbErrorKind.TooManyRows"/>
    /// when there are two, and when there is none <see cref="DbErrorKind.NotFound"/> if <paramref name="required"/>, else a
    /// successful default. <paramref name="filter"/> is named in those errors. When <paramref name="unique"/> (the filter
    /// names one primary key) the statement asks for one row and no second is looked for.
    /// </summary>
    internal Task<DbResult<T?>> ReadOneAsync<T>(SqlCommandText statement, string what, FilterNode? filter, bool required, bool unique, CancellationToken cancellationToken)
        where T : IRecord<T>
        => RunAsync(statement, write: false, what, (Dialect, what, filter, required, unique), static async (command, s, ct) =>
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return s.required
                    ? new DbError(DbErrorKind.NotFound, $"{s.what}: no row matches {s.filter?.ToString() ?? "the query"}")
                    : DbResult<T?>.Success(default);
            }

            var row = s.Dialect.Read<T>(reader);
            return !s.unique && await reader.ReadAsync(ct).ConfigureAwait(false)
                ? new DbError(DbErrorKind.TooManyRows, $"{s.what}: more than one row matches {s.filter?.ToString() ?? "the query"}")
                : DbResult<T?>.Success(row);
        }, cancellationToken);

    internal async IAsyncEnumerable<DbResult<T>> StreamRecordsAsync<T>(SqlCommandText statement, string what, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : IRecord<T>
    {
        ConnectionLease lease;
        DbCommand? command = null;
        DbDataReader? reader = null;
        DbError? error = null;

        // The deadline covers connecting and running the query, not the caller's pace of reading rows.
        using var deadline = Deadline(cancellationToken);
        try
        {
            lease = await AcquireAsync(write: false, statement.Reusable, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            lease = default;
            error = Fail(ex, what, cancellationToken);
        }

        if (error is not null)
        {
            yield return error;
            yield break;
        }

        try
        {
            try
            {
                command = TakeCommand(lease, statement);
                reader = await command.ExecuteReaderAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not ArgumentException)
            {
                error = Fail(ex, what, cancellationToken);
            }

            if (error is not null)
            {
                yield return error;
                yield break;
            }

            while (true)
            {
                T item;
                try
                {
                    if (!await reader!.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }

                    item = Dialect.Read<T>(reader);
                }
                catch (Exception ex) when (ex is not ArgumentException)
                {
                    error = Fail(ex, what, cancellationToken);
                    break;
                }

                yield return DbResult<T>.Success(item);
            }

            if (error is not null)
            {
                yield return error;
            }
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            if (command is not null)
            {
                ReturnCommand(lease, statement, command, completed: error is null);
            }

            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal Task<DbResult<bool>> ExistsAsync(SqlCommandText statement, string what, CancellationToken cancellationToken)
        => RunAsync(statement, write: false, what, 0, static async (command, _, ct) =>
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return DbResult<bool>.Success(await reader.ReadAsync(ct).ConfigureAwait(false));
        }, cancellationToken);

    internal Task<DbResult<long>> ScalarLongAsync(SqlCommandText statement, string what, CancellationToken cancellationToken)
        => RunAsync(statement, write: false, what, 0, static async (command, _, ct) =>
            DbResult<long>.Success(Convert.ToInt64(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);

    internal Task<DbResult<int>> ExecuteAsync(SqlCommandText statement, string what, CancellationToken cancellationToken)
        => RunAsync(statement, write: true, what, 0, static async (command, _, ct) =>
            DbResult<int>.Success(await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false)), cancellationToken);

    /// <summary>Writes one row with a RETURNING statement and reads it back; <paramref name="row"/> when the statement returns none.</summary>
    internal Task<DbResult<T>> WriteReturningAsync<T>(SqlCommandText statement, T row, string what, CancellationToken cancellationToken)
        where T : IRecord<T>
        => RunAsync(statement, write: true, what, (Dialect, row), static async (command, s, ct) =>
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);

            // DO NOTHING (every column is a key) returns no row when the row already exists: it is stored as given.
            return DbResult<T>.Success(await reader.ReadAsync(ct).ConfigureAwait(false) ? s.Dialect.Read<T>(reader) : s.row);
        }, cancellationToken);

    /// <summary>Runs several statements in one transaction (the caller's, when this database is bound to one) and sums their counts.</summary>
    internal virtual async Task<DbResult<int>> ExecuteBatchAsync(IReadOnlyList<SqlCommandText> statements, string what, CancellationToken cancellationToken)
    {
        return await TransactionAsync<int>(
            async tx =>
            {
                var total = 0;
                foreach (var statement in statements)
                {
                    var result = await ((SqlDatabase)tx).ExecuteAsync(statement, what, cancellationToken).ConfigureAwait(false);
                    if (result.Error is not null)
                    {
                        return result;
                    }

                    total += result.Data;
                }

                return DbResult<int>.Success(total);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A command for <paramref name="statement"/> on the leased connection with its parameters bound: the connection's kept,
    /// already prepared command when the statement is reusable and the connection keeps commands, else a new one.
    /// </summary>
    private DbCommand TakeCommand(in ConnectionLease lease, in SqlCommandText statement)
    {
        DbCommand command;
        if (statement.Reusable && lease.Commands is { } kept)
        {
            command = kept.Take(statement.Sql);
        }
        else
        {
            command = lease.Connection.CreateCommand();
            command.CommandText = statement.Sql;
        }

        command.Transaction = lease.Transaction;
        command.CommandTimeout = Options.CommandTimeoutSeconds;
        try
        {
            if (statement.Bind is { } bind)
            {
                bind(command);
            }
            else
            {
                Dialect.BindArguments(command, statement.Args);
            }
        }
        catch
        {
            command.Dispose(); // a value that cannot be sent: the caller gets the error, the command is not kept half-bound
            throw;
        }

        return command;
    }

    /// <summary>Keeps a command that ran to completion for the next call of its shape; disposes anything else.</summary>
    private static void ReturnCommand(in ConnectionLease lease, in SqlCommandText statement, DbCommand command, bool completed)
    {
        if (completed && statement.Reusable && lease.Commands is { } kept)
        {
            kept.Return(command);
        }
        else
        {
            command.Dispose();
        }
    }

    /// <summary>The live schema for the untyped API: read once, cached until <see cref="InvalidateSchema"/>.</summary>
    internal virtual async Task<DbResult<LiveSchema>> GetLiveSchemaAsync(CancellationToken cancellationToken)
    {
        var task = _schema;
        if (task is null)
        {
            task = LoadSchemaAsync();
            _schema = task;
        }

        try
        {
            return DbResult<LiveSchema>.Success(await task.WaitAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            // A failed read is not cached: the next call tries again.
            _ = Interlocked.CompareExchange(ref _schema, null, task);
            return ex is DbException db ? db.Error : Fail(ex, "reading the schema", cancellationToken);
        }
    }

    private async Task<LiveSchema> LoadSchemaAsync()
    {
        var rows = await ReadRowsAsync(new SqlCommandText(Dialect.LiveSchemaSql, []), write: false, "reading the schema", CancellationToken.None).ConfigureAwait(false);
        return rows.Error is { } error ? throw new DbException(error) : new LiveSchema(rows.Data!);
    }

    /// <summary>Maps a failure to an error value, logs it (rate-limited) and drops stale connections when the database is gone.</summary>
    internal DbError Fail(Exception exception, string what, CancellationToken cancellationToken)
    {
        DbError error = exception switch
        {
            DbException db => db.Error,
            InvalidQueryException invalid => new DbError(DbErrorKind.InvalidQuery, $"{what}: {invalid.Message}"),
            OperationCanceledException when cancellationToken.IsCancellationRequested => new DbError(DbErrorKind.Cancelled, $"{what}: cancelled by the caller", exception),
            OperationCanceledException or TimeoutException => new DbError(DbErrorKind.Timeout, $"{what}: timed out after {Options.CommandTimeout.TotalSeconds:0.###} s", exception),
            _ => Dialect.MapError(exception, what),
        };
        if (error.Kind == DbErrorKind.Unavailable)
        {
            OnUnavailable();
        }

        _failures.Log(error);
        return error;
    }

    /// <summary>Logs failures, at most one per kind every ten seconds, so an outage does not flood the log.</summary>
    private sealed class FailureLog(ILogger? logger)
    {
        private readonly long[] _lastLogged = new long[Enum.GetValues<DbErrorKind>().Length];

        public void Log(DbError error)
        {
            if (logger is null || error.Kind is DbErrorKind.NotFound or DbErrorKind.TooManyRows or DbErrorKind.Cancelled)
            {
                return;
            }

            var now = Environment.TickCount64;
            ref var last = ref _lastLogged[(int)error.Kind];
            var previous = Volatile.Read(ref last);
            if (previous != 0 && now - previous < 10_000)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref last, now, previous) != previous)
            {
                return;
            }

            var level = error.Kind is DbErrorKind.Constraint or DbErrorKind.InvalidQuery or DbErrorKind.Conflict ? LogLevel.Debug : LogLevel.Warning;
            logger.Log(level, error.Exception, "Database call failed: {Error}", error.ToString());
        }
    }
}

/// <summary>
/// A statement and its arguments, or a binder that binds typed parameters itself (setting them when the command already has
/// them). <paramref name="Reusable"/> marks text made only of checked identifiers and placeholders (a query shape, typed or
/// untyped; never raw SQL): a connection that keeps commands keeps this one prepared for the next call of the shape.
/// </summary>
internal readonly record struct SqlCommandText(string Sql, IReadOnlyList<object?> Args, Action<DbCommand>? Bind = null, bool Reusable = false);

/// <summary>
/// A leased connection; disposing it returns it (to the reader pool, releasing the writer lock, or nothing inside a
/// transaction). <see cref="Commands"/> holds the connection's kept commands when its owner keeps them.
/// </summary>
internal readonly struct ConnectionLease(DbConnection connection, DbTransaction? transaction, PreparedCommands? commands, Func<ConnectionLease, ValueTask>? release) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;

    public DbTransaction? Transaction { get; } = transaction;

    public PreparedCommands? Commands { get; } = commands;

    public ValueTask DisposeAsync() => release is null || Connection is null ? ValueTask.CompletedTask : release(this);
}

/// <summary>The live tables and columns, for checking untyped identifiers.</summary>
internal sealed class LiveSchema
{
    private readonly Dictionary<string, HashSet<string>> _tables = new(StringComparer.Ordinal);

    public LiveSchema(IReadOnlyList<DbRow> rows)
    {
        foreach (var row in rows)
        {
            var table = (string)row.Values.First()!;
            var column = (string)row.Values.Skip(1).First()!;
            if (!_tables.TryGetValue(table, out var columns))
            {
                _tables[table] = columns = new HashSet<string>(StringComparer.Ordinal);
            }

            columns.Add(column);
        }
    }

    public IReadOnlySet<string>? Columns(string table) => _tables.TryGetValue(table, out var columns) ? columns : null;
}
