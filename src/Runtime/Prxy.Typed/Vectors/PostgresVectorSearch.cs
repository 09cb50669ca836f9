using System.Globalization;
using System.Text;

namespace Prxy.Typed;

/// <summary>
/// Vector search on pgvector. The inner query is the bare <c>ORDER BY col &lt;=&gt; $1 LIMIT k</c> an HNSW or IVFFlat
/// index serves; score (1 - cosine distance) and <c>minScore</c> live in the outer query. With a filter the search
/// runs in a transaction with <c>SET LOCAL hnsw.iterative_scan = relaxed_order</c> (pgvector ≥ 0.8), so the index
/// keeps scanning until k rows pass the filter; the outer ORDER BY restores exact order.
/// </summary>
internal static class PostgresVectorSearch
{
    private const string Distance = "__prxy_distance";

    public static async Task<DbResult<IReadOnlyList<Scored<T>>>> RunAsync<T>(
        SqlDatabase executor, VectorSearch search, bool iterativeScan, int? efSearch, CancellationToken cancellationToken)
        where T : ITable<T>
    {
        var statement = Build(search);
        if (search.State.Filter is null && efSearch is null)
        {
            return await ReadAsync<T>(executor, statement, search, cancellationToken).ConfigureAwait(false);
        }

        // SET LOCAL needs a transaction; inside the caller's transaction it lasts until that one ends.
        var settings = new StringBuilder();
        if (search.State.Filter is not null && iterativeScan)
        {
            settings.Append("SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL ivfflat.iterative_scan = relaxed_order;");
        }

        if (efSearch is { } ef)
        {
            settings.Append(CultureInfo.InvariantCulture, $"SET LOCAL hnsw.ef_search = {ef};");
        }

        return await executor.TransactionAsync<IReadOnlyList<Scored<T>>>(
            async tx =>
            {
                var db = (SqlDatabase)tx;
                if (settings.Length > 0)
                {
                    var set = await db.ExecuteAsync(new SqlCommandText(settings.ToString(), []), search.What, cancellationToken).ConfigureAwait(false);
                    if (set.Error is { } error)
                    {
                        return error;
                    }
                }

                return await ReadAsync<T>(db, statement, search, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<DbResult<IReadOnlyList<Scored<T>>>> ReadAsync<T>(SqlDatabase db, SqlCommandText statement, VectorSearch search, CancellationToken cancellationToken)
        where T : ITable<T>
    {
        var scoreOrdinal = T.ReadColumns.Count;
        var result = await db.ReadAsync(
            statement,
            search.What,
            async (reader, ct) =>
            {
                var hits = new List<Scored<T>>(search.Limit);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    hits.Add(new Scored<T>(db.Dialect.Read<T>(reader), reader.GetDouble(scoreOrdinal)));
                }

                return hits;
            },
            cancellationToken).ConfigureAwait(false);
        return result.Error is { } e ? e : DbResult<IReadOnlyList<Scored<T>>>.Success(result.Data!);
    }

    internal static SqlCommandText Build(VectorSearch search)
    {
        var (key, values) = search.Describe("pgv");
        values.Add((long)search.Limit);
        if (search.MinScore is { } min)
        {
            values.Add(min);
        }

        var sql = search.State.Db.Dialect.Statement(key, search, static search =>
        {
            var dialect = search.State.Db.Dialect;
            var columns = new StringBuilder();
            foreach (var column in search.State.Table.Columns)
            {
                columns.Append(columns.Length == 0 ? "" : ", ").Append(dialect.Quote(column.Name));
            }

            var vector = dialect.Quote(search.Column.Name);
            var sql = new StringBuilder(256)
                .Append("SELECT ").Append(columns).Append(", 1 - q.").Append(Distance).Append(" AS __prxy_score FROM (SELECT ")
                .Append(columns).Append(", ").Append(vector).Append(" <=> $1 AS ").Append(Distance)
                .Append(" FROM ").Append(dialect.Quote(search.State.Table.Name));
            var next = 2;
            search.AppendWhere(sql, ref next, vectorNotNull: false); // keep the inner query bare so the index serves it
            sql.Append(" ORDER BY ").Append(vector).Append(" <=> $1 LIMIT ").Append(SqlDialect.Placeholder(next++)).Append(") AS q");

            // A stored zero vector has a NaN distance; it never ranks, on any backend.
            sql.Append(" WHERE q.").Append(Distance).Append(" IS NOT NULL AND q.").Append(Distance).Append(" <> 'NaN'::float8");
            if (search.MinScore is not null)
            {
                sql.Append(" AND 1 - q.").Append(Distance).Append(" >= ").Append(SqlDialect.Placeholder(next++));
            }

            sql.Append(" ORDER BY q.").Append(Distance);
            return sql.ToString();
        });
        return new SqlCommandText(sql, values, Reusable: true);
    }
}
