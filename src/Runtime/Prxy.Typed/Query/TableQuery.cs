namespace Prxy.Typed;

/// <summary>
/// A typed query on table <typeparamref name="T"/>, started by <see cref="IDatabase.From{T}"/>. Each call returns a new query,
/// so a partly built query can be reused. Terminal calls return <see cref="DbResult{T}"/> values and never throw on database failures.
/// </summary>
/// <typeparam name="T">The <c>[Table]</c> record.</typeparam>
public sealed partial class TableQuery<T> where T : ITable<T>
{
    private static readonly string RecordKey = typeof(T).FullName ?? typeof(T).Name;

    internal TableQuery(SqlDatabase db) => State = new QueryState(db, T.Table, null, [], null, null);

    private TableQuery(QueryState state) => State = state;

    /// <summary>The query's state, for extensions such as vector search.</summary>
    internal QueryState State { get; }

    private static readonly string What = $"table '{T.Table.Name}'";

    /// <summary>Adds a condition; several <c>Where</c> calls AND together.</summary>
    public TableQuery<T> Where(Filter<T> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new(State with { Filter = State.Filter is null ? filter.Node : new AndNode(State.Filter, filter.Node) });
    }

    /// <summary>Orders by <paramref name="column"/> ascending; later calls add tie-breakers.</summary>
    public TableQuery<T> OrderBy(Column<T> column, NullsOrder nulls = NullsOrder.Default) => Order(column, false, nulls);

    /// <summary>Orders by <paramref name="column"/> descending; later calls add tie-breakers.</summary>
    public TableQuery<T> OrderByDescending(Column<T> column, NullsOrder nulls = NullsOrder.Default) => Order(column, true, nulls);

    private TableQuery<T> Order(Column<T> column, bool descending, NullsOrder nulls)
    {
        ArgumentNullException.ThrowIfNull(column);
        return new(State with { Orderings = [.. State.Orderings, new Ordering(column.Info, descending, nulls)] });
    }

    /// <summary>Returns at most <paramref name="count"/> rows.</summary>
    public TableQuery<T> Limit(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new(State with { Limit = count });
    }

    /// <summary>Skips the first <paramref name="count"/> rows.</summary>
    public TableQuery<T> Offset(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new(State with { Offset = count });
    }

    /// <summary>Reads <typeparamref name="TProjection"/>'s columns instead of the whole row.</summary>
    public ProjectionQuery<TProjection, T> Select<TProjection>() where TProjection : IProjection<TProjection, T> => new(State);

    /// <summary>Every matching row.</summary>
    public Task<DbResult<IReadOnlyList<T>>> ToListAsync(CancellationToken cancellationToken = default) => RecordQueries.ToListAsync<T>(State, RecordKey, What, cancellationToken);

    /// <summary>The one matching row; <see cref="DbErrorKind.NotFound"/> when none, <see cref="DbErrorKind.TooManyRows"/> when several.</summary>
    public Task<DbResult<T>> SingleAsync(CancellationToken cancellationToken = default) => RecordQueries.SingleAsync<T>(State, RecordKey, What, cancellationToken);

    /// <summary>The matching row, or a successful null when none; <see cref="DbErrorKind.TooManyRows"/> when several.</summary>
    public Task<DbResult<T?>> MaybeSingleAsync(CancellationToken cancellationToken = default) => RecordQueries.MaybeSingleAsync<T>(State, RecordKey, What, cancellationToken);

    /// <summary>Streams matching rows; a failure is yielded as one failed result, after which the stream ends.</summary>
    public IAsyncEnumerable<DbResult<T>> AsAsyncEnumerable(CancellationToken cancellationToken = default) => RecordQueries.Stream<T>(State, RecordKey, What, cancellationToken);

    /// <summary>How many rows match (after limit/offset, when set).</summary>
    public async Task<DbResult<long>> CountAsync(CancellationToken cancellationToken = default)
    {
        if (!RecordQueries.TryBuild(State, QuerySql.SelectKind.Count, static (state, kind) => QuerySql.Select(state, [], "", kind), What, cancellationToken, out var statement, out var error))
        {
            return error;
        }

        return await State.Db.ScalarLongAsync(statement, What, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether any row matches.</summary>
    public async Task<DbResult<bool>> ExistsAsync(CancellationToken cancellationToken = default)
    {
        if (!RecordQueries.TryBuild(State, QuerySql.SelectKind.Exists, static (state, kind) => QuerySql.Select(state, [], "", kind), What, cancellationToken, out var statement, out var error))
        {
            return error;
        }

        return await State.Db.ExistsAsync(statement, What, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts <paramref name="row"/> and returns it as stored.</summary>
    public Task<DbResult<T>> InsertAsync(T row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        return WriteOneAsync(row, null, cancellationToken);
    }

    /// <summary>
    /// Inserts <paramref name="rows"/> in one transaction with multi-row INSERTs sized under the dialect's parameter limit;
    /// returns how many rows were inserted. Nothing is inserted when any row fails.
    /// </summary>
    public async Task<DbResult<int>> InsertAsync(IEnumerable<T> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var all = rows as IReadOnlyList<T> ?? [.. rows];
        if (all.Count == 0)
        {
            return DbResult<int>.Success(0);
        }

        for (var i = 0; i < all.Count; i++)
        {
            if (all[i] is null)
            {
                throw new ArgumentException($"Row {i} to insert into '{T.Table.Name}' is null.", nameof(rows));
            }
        }

        var dialect = State.Db.Dialect;
        var columnCount = T.Table.Columns.Count;
        var perStatement = Math.Max(1, Math.Min(500, dialect.BatchParameters / columnCount));
        var statements = new List<SqlCommandText>((all.Count + perStatement - 1) / perStatement);
        for (var start = 0; start < all.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, all.Count - start);
            var sql = QuerySql.Insert(dialect, T.Table, count, null, returning: false);
            var first = start;
            statements.Add(new SqlCommandText(sql, [], command =>
            {
                for (var i = 0; i < count; i++)
                {
                    dialect.BindRow(command, i * columnCount, all[first + i]);
                }
            }, Reusable: true));
        }

        return await State.Db.ExecuteBatchAsync(statements, What, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts <paramref name="row"/>, or updates every other column when it conflicts on <paramref name="onConflict"/>; returns the row as stored.</summary>
    public Task<DbResult<T>> UpsertAsync(T row, Column<T> onConflict, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onConflict);
        return UpsertAsync(row, [onConflict], cancellationToken);
    }

    /// <summary>Inserts <paramref name="row"/>, or updates every other column when it conflicts on the <paramref name="onConflict"/> columns (a unique key).</summary>
    public Task<DbResult<T>> UpsertAsync(T row, IReadOnlyList<Column<T>> onConflict, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(onConflict);
        if (onConflict.Count == 0)
        {
            throw new ArgumentException($"Upsert into '{T.Table.Name}' needs at least one conflict column (a primary or unique key).", nameof(onConflict));
        }

        return WriteOneAsync(row, [.. onConflict.Select(c => c.Info)], cancellationToken);
    }

    private Task<DbResult<T>> WriteOneAsync(T row, ColumnInfo[]? conflict, CancellationToken cancellationToken)
    {
        var dialect = State.Db.Dialect;
        var sql = QuerySql.Insert(dialect, T.Table, 1, conflict, returning: true);
        return State.Db.WriteReturningAsync(new SqlCommandText(sql, [], command => dialect.BindRow(command, 0, row), Reusable: true), row, What, cancellationToken);
    }

    /// <summary>Applies <paramref name="assignments"/> to every matching row; returns how many rows changed.</summary>
    public async Task<DbResult<int>> UpdateAsync(IReadOnlyList<Assignment<T>> assignments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        if (assignments.Count == 0)
        {
            throw new ArgumentException($"An update of '{T.Table.Name}' needs at least one assignment.", nameof(assignments));
        }

        if (!RecordQueries.TryBuild(State, assignments, static (state, assignments) => QuerySql.Update(state, assignments), What, cancellationToken, out var statement, out var error))
        {
            return error;
        }

        return await State.Db.ExecuteAsync(statement, What, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every matching row (every row without a <see cref="Where"/>); returns how many were deleted.</summary>
    public async Task<DbResult<int>> DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (!RecordQueries.TryBuild(State, 0, static (state, _) => QuerySql.Delete(state), What, cancellationToken, out var statement, out var error))
        {
            return error;
        }

        return await State.Db.ExecuteAsync(statement, What, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"From<{typeof(T).Name}>() where {State.Filter?.ToString() ?? "true"}";
}

/// <summary>A typed query that reads <typeparamref name="TProjection"/>'s columns of <typeparamref name="TTable"/>; made by <see cref="TableQuery{T}.Select{TProjection}"/>.</summary>
/// <typeparam name="TProjection">The <c>[Projection]</c> record.</typeparam>
/// <typeparam name="TTable">The table.</typeparam>
public sealed class ProjectionQuery<TProjection, TTable>
    where TProjection : IProjection<TProjection, TTable>
    where TTable : ITable<TTable>
{
    private static readonly string RecordKey = typeof(TProjection).FullName ?? typeof(TProjection).Name;

    internal ProjectionQuery(QueryState state) => State = state;

    internal QueryState State { get; }

    private static readonly string What = $"table '{TTable.Table.Name}'";

    /// <summary>Every matching row.</summary>
    public Task<DbResult<IReadOnlyList<TProjection>>> ToListAsync(CancellationToken cancellationToken = default) => RecordQueries.ToListAsync<TProjection>(State, RecordKey, What, cancellationToken);

    /// <summary>The one matching row; <see cref="DbErrorKind.NotFound"/> when none, <see cref="DbErrorKind.TooManyRows"/> when several.</summary>
    public Task<DbResult<TProjection>> SingleAsync(CancellationToken cancellationToken = default) => RecordQueries.SingleAsync<TProjection>(State, RecordKey, What, cancellationToken);

    /// <summary>The matching row, or a successful null when none.</summary>
    public Task<DbResult<TProjection?>> MaybeSingleAsync(CancellationToken cancellationToken = default) => RecordQueries.MaybeSingleAsync<TProjection>(State, RecordKey, What, cancellationToken);

    /// <summary>Streams matching rows; a failure is yielded as one failed result, after which the stream ends.</summary>
    public IAsyncEnumerable<DbResult<TProjection>> AsAsyncEnumerable(CancellationToken cancellationToken = default) => RecordQueries.Stream<TProjection>(State, RecordKey, What, cancellationToken);
}

/// <summary>Terminal calls shared by table and projection queries.</summary>
internal static class RecordQueries
{
    /// <summary>Builds a statement; a query the layer refuses becomes an <see cref="DbErrorKind.InvalidQuery"/> error value.</summary>
    public static bool TryBuild<TArg>(
        QueryState state, TArg arg, Func<QueryState, TArg, SqlCommandText> build, string what, CancellationToken cancellationToken, out SqlCommandText statement, out DbError error)
    {
        try
        {
            statement = build(state, arg);
            error = null!;
            return true;
        }
        catch (InvalidQueryException ex)
        {
            statement = default;
            error = state.Db.Fail(ex, what, cancellationToken);
            return false;
        }
    }

    private static bool TrySelect<TRecord>(QueryState state, string recordKey, long? limit, string what, CancellationToken cancellationToken, out SqlCommandText statement, out DbError error)
        where TRecord : IRecord<TRecord>
        => TryBuild(state, (recordKey, limit), static (state, a) => QuerySql.Select(state, TRecord.ReadColumns, a.recordKey, QuerySql.SelectKind.Rows, a.limit), what, cancellationToken, out statement, out error);

    public static Task<DbResult<IReadOnlyList<TRecord>>> ToListAsync<TRecord>(QueryState state, string recordKey, string what, CancellationToken cancellationToken)
        where TRecord : IRecord<TRecord>
        => TrySelect<TRecord>(state, recordKey, null, what, cancellationToken, out var statement, out var error)
            ? state.Db.ReadRecordsAsync<TRecord>(statement, what, cancellationToken)
            : Task.FromResult(DbResult<IReadOnlyList<TRecord>>.Failure(error));

    public static Task<DbResult<TRecord>> SingleAsync<TRecord>(QueryState state, string recordKey, string what, CancellationToken cancellationToken)
        where TRecord : IRecord<TRecord>
        => OneAsync<TRecord>(state, recordKey, what, required: true, cancellationToken)!;

    public static Task<DbResult<TRecord?>> MaybeSingleAsync<TRecord>(QueryState state, string recordKey, string what, CancellationToken cancellationToken)
        where TRecord : IRecord<TRecord>
        => OneAsync<TRecord>(state, recordKey, what, required: false, cancellationToken);

    /// <summary>
    /// Asks for at most two rows, so a second match is reported instead of silently dropped; for an equality on the table's
    /// single-column primary key, which matches at most one row, asks for one.
    /// </summary>
    private static Task<DbResult<TRecord?>> OneAsync<TRecord>(QueryState state, string recordKey, string what, bool required, CancellationToken cancellationToken)
        where TRecord : IRecord<TRecord>
    {
        var unique = state.Filter is ComparisonNode { Operator: ComparisonOperator.Eq, Column.IsPrimaryKey: true } && state.Table.PrimaryKey.Count == 1;
        return TrySelect<TRecord>(state, recordKey, unique ? 1 : 2, what, cancellationToken, out var statement, out var error)
            ? state.Db.ReadOneAsync<TRecord>(statement, what, state.Filter, required, unique, cancellationToken)
            : Task.FromResult(DbResult<TRecord?>.Failure(error));
    }

    public static async IAsyncEnumerable<DbResult<TRecord>> Stream<TRecord>(QueryState state, string recordKey, string what, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        where TRecord : IRecord<TRecord>
    {
        if (!TrySelect<TRecord>(state, recordKey, null, what, cancellationToken, out var statement, out var error))
        {
            yield return error;
            yield break;
        }

        await foreach (var item in state.Db.StreamRecordsAsync<TRecord>(statement, what, cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
