namespace Prxy.Typed;

public sealed partial class TableQuery<T>
{
    /// <summary>
    /// The <paramref name="limit"/> rows whose <paramref name="column"/> is most similar to <paramref name="query"/>
    /// (cosine similarity, best first), among the rows the query's <c>Where</c> conditions match. Rows scoring below
    /// <paramref name="minScore"/> are left out; rows with a NULL vector never match. Ordering, limit and offset of the
    /// query do not apply. Invalid queries (wrong dimensions, NaN, the zero vector, limit ≤ 0) are
    /// <see cref="DbErrorKind.InvalidQuery"/> error values.
    /// </summary>
    public Task<DbResult<IReadOnlyList<Scored<T>>>> VectorSearchAsync(
        VectorColumn<T> column,
        ReadOnlyMemory<float> query,
        int limit,
        double? minScore = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (VectorQuery.Validate(column.Info, query.Span, limit, minScore) is { } invalid)
        {
            return Task.FromResult(DbResult<IReadOnlyList<Scored<T>>>.Failure(invalid));
        }

        var search = new VectorSearch(State, column.Info, query.ToArray(), limit, minScore, RecordKey, What);
        return State.Db.Root.VectorSearchAsync<T>(State.Db, search, cancellationToken);
    }
}

/// <summary>A validated vector search: the query state (table + filter), the vector column and the query vector.</summary>
internal sealed record VectorSearch(QueryState State, ColumnInfo Column, float[] Query, int Limit, double? MinScore, string RecordKey, string What)
{
    /// <summary>The filter's shape key and values (placeholder order), with the query vector first.</summary>
    public (ShapeKey ShapeKey, List<object?> Values) Describe(string prefix)
    {
        var values = new List<object?> { Query };
        var key = ShapeKey.Rent().Append(prefix).Append('|').Append(State.Table.Name).Append('|')
            .Append(RecordKey).Append('|').Append(Column.Ordinal).Append('|').Append(MinScore is null ? '-' : 'm').Append('|');
        if (State.Filter is not null)
        {
            QuerySql.Describe(State.Db.Dialect, State.Filter, key, values);
        }

        return (key, values);
    }

    /// <summary>
    /// Appends <c> WHERE</c> with the query's filter (placeholders from <paramref name="next"/>) and, when
    /// <paramref name="vectorNotNull"/>, <c>column IS NOT NULL</c>; appends nothing when there is neither.
    /// </summary>
    public void AppendWhere(System.Text.StringBuilder sql, ref int next, bool vectorNotNull)
    {
        var dialect = State.Db.Dialect;
        if (vectorNotNull)
        {
            sql.Append(" WHERE ").Append(dialect.Quote(Column.Name)).Append(" IS NOT NULL");
        }

        if (State.Filter is not null)
        {
            sql.Append(vectorNotNull ? " AND " : " WHERE ");
            QuerySql.Render(dialect, State.Filter, sql, ref next);
        }
    }
}
