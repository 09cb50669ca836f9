using System.Buffers;
using System.Text;

namespace Prxy.Typed;

/// <summary>
/// Exact vector search on SQLite: with sqlite-vec loaded, <c>vec_distance_cosine</c> over the filtered rows in SQL;
/// without it, a streaming scan of the filtered rows' float32 BLOBs scored with System.Numerics.Tensors into a bounded
/// top-k heap, where a row outside the top k is never materialised. Both return the same rows and scores.
/// </summary>
internal static class SqliteVectorSearch
{
    public static async Task<DbResult<IReadOnlyList<Scored<T>>>> WithSqliteVecAsync<T>(SqlDatabase executor, VectorSearch search, CancellationToken cancellationToken)
        where T : ITable<T>
    {
        var (key, values) = search.Describe("vec");
        if (search.MinScore is { } min)
        {
            values.Add(min);
        }

        values.Add((long)search.Limit);
        var sql = search.State.Db.Dialect.Statement(key, search, static search =>
        {
            var dialect = search.State.Db.Dialect;
            var columns = new StringBuilder();
            foreach (var column in search.State.Table.Columns)
            {
                columns.Append(columns.Length == 0 ? "" : ", ").Append(dialect.Quote(column.Name));
            }

            var sql = new StringBuilder(256)
                .Append("SELECT ").Append(columns).Append(", 1 - q.__prxy_distance FROM (SELECT ").Append(columns)
                .Append(", vec_distance_cosine(").Append(dialect.Quote(search.Column.Name)).Append(", $1) AS __prxy_distance FROM ")
                .Append(dialect.Quote(search.State.Table.Name));
            var next = 2;
            search.AppendWhere(sql, ref next, vectorNotNull: true);

            // SQLite turns a NaN distance (a stored zero vector) into NULL; such rows never rank.
            sql.Append(") AS q WHERE q.__prxy_distance IS NOT NULL");
            if (search.MinScore is not null)
            {
                sql.Append(" AND 1 - q.__prxy_distance >= ").Append(SqlDialect.Placeholder(next++));
            }

            sql.Append(" ORDER BY q.__prxy_distance");
            dialect.AppendLimitOffset(sql, SqlDialect.Placeholder(next++), null);
            return sql.ToString();
        });

        var scoreOrdinal = T.ReadColumns.Count;
        var result = await executor.ReadAsync(
            new SqlCommandText(sql, values, Reusable: true),
            search.What,
            async (reader, ct) =>
            {
                var hits = new List<Scored<T>>(search.Limit);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    hits.Add(new Scored<T>(executor.Dialect.Read<T>(reader), reader.GetDouble(scoreOrdinal)));
                }

                return (IReadOnlyList<Scored<T>>)hits;
            },
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    public static async Task<DbResult<IReadOnlyList<Scored<T>>>> ScanAsync<T>(SqlDatabase executor, VectorSearch search, CancellationToken cancellationToken)
        where T : ITable<T>
    {
        var (key, values) = search.Describe("scan");
        values.RemoveAt(0); // the scan scores in process: the query vector is not a parameter
        var sql = search.State.Db.Dialect.Statement(key, search, static search =>
        {
            var dialect = search.State.Db.Dialect;
            var sql = new StringBuilder(256).Append("SELECT ");
            foreach (var column in search.State.Table.Columns)
            {
                sql.Append(column.Ordinal == 0 ? "" : ", ").Append(dialect.Quote(column.Name));
            }

            sql.Append(" FROM ").Append(dialect.Quote(search.State.Table.Name));
            var next = 1;
            search.AppendWhere(sql, ref next, vectorNotNull: true);
            return sql.ToString();
        });

        var blobOrdinal = search.Column.Ordinal; // the record's own vector column: scored before the row is read
        var expectedBytes = search.Column.VectorDimensions * sizeof(float);
        var minScore = search.MinScore ?? double.NegativeInfinity;
        return await executor.ReadAsync(
            new SqlCommandText(sql, values, Reusable: true),
            search.What,
            async (reader, ct) =>
            {
                var top = new TopK<T>(search.Limit);
                var buffer = ArrayPool<byte>.Shared.Rent(expectedBytes + 1); // one spare byte tells a longer BLOB in one read
                try
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        var length = reader.GetBytes(blobOrdinal, 0, buffer, 0, expectedBytes + 1);
                        if (length != expectedBytes)
                        {
                            throw new InvalidQueryException(
                                $"column '{search.State.Table.Name}.{search.Column.Name}' holds a vector of {reader.GetBytes(blobOrdinal, 0, null, 0, 0)} bytes; " +
                                $"a vector({search.Column.VectorDimensions}) needs {expectedBytes}. Rewrite the row with the right dimensions.");
                        }

                        var score = VectorQuery.Cosine(search.Query, VectorBlob.View(buffer.AsSpan(0, expectedBytes)));
                        if (score >= minScore && top.WouldAccept(score))
                        {
                            top.Add(score, executor.Dialect.Read<T>(reader));
                        }
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                var hits = top.ToSortedList();
                var list = new List<Scored<T>>(hits.Count);
                foreach (var (score, item) in hits)
                {
                    list.Add(new Scored<T>(item, score));
                }

                return (IReadOnlyList<Scored<T>>)list;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
