using System.Buffers;
using System.Text;

namespace Prxy.Typed;

public sealed partial class RowQuery
{
    private (string Column, float[] Query, int Limit, double? MinScore)? _vectorSearch;

    /// <summary>
    /// Makes the query a vector search: the <paramref name="limit"/> rows (after the filters) whose
    /// <paramref name="column"/> is most similar to <paramref name="query"/>, best first, each with a <c>score</c> column
    /// (cosine similarity) and at least <paramref name="minScore"/>. The search is exact on every backend; ordering,
    /// limit and offset of the chain do not apply. Use the typed <c>VectorSearchAsync</c> where the index should serve it.
    /// </summary>
    public RowQuery VectorSearch(string column, float[] query, int limit, double? minScore = null)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(query);
        _vectorSearch = (column, query, limit, minScore);
        return this;
    }

    private async Task<DbResult<IReadOnlyList<DbRow>>> ExecuteVectorSearchAsync(CancellationToken cancellationToken)
    {
        var (column, query, limit, minScore) = _vectorSearch!.Value;
        if (VectorQuery.Validate($"vector search on '{Printable(_table)}.{Printable(column)}'", query, limit, minScore) is { } invalid)
        {
            return invalid;
        }

        if (await CheckAsync(_columns.Append(column), cancellationToken).ConfigureAwait(false) is { } error)
        {
            return error;
        }

        var dialect = _db.Dialect;
        var vector = dialect.Quote(column);
        var selected = _columns.Count == 0 ? "*" : string.Join(", ", _columns.Select(dialect.Quote));
        // In SQL the query vector is parameter $1; the in-process scan needs no parameter for it.
        var distance = _db.Root.VectorDistanceSql(vector, SqlDialect.Placeholder(1));
        var args = distance is null ? new List<object?>() : [query];
        var sql = new StringBuilder("SELECT ").Append(selected).Append(", ")
            .Append(distance ?? vector).Append(" AS __prxy_vector FROM ").Append(dialect.Quote(_table));
        if (!TryAppendWhere(sql, args, out var whereError))
        {
            return whereError;
        }

        sql.Append(_filters.Count == 0 ? " WHERE " : " AND ").Append(vector).Append(" IS NOT NULL");
        if (distance is not null)
        {
            return await SearchInSqlAsync(sql, args, limit, minScore, cancellationToken).ConfigureAwait(false);
        }

        return await ScanAsync(sql.ToString(), args, query, limit, minScore, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DbResult<IReadOnlyList<DbRow>>> SearchInSqlAsync(StringBuilder inner, List<object?> args, int limit, double? minScore, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT * FROM (").Append(inner).Append(") AS q WHERE q.__prxy_vector IS NOT NULL AND q.__prxy_vector <> 'NaN'");
        if (minScore is { } min)
        {
            args.Add(min);
            sql.Append(" AND 1 - q.__prxy_vector >= ").Append(SqlDialect.Placeholder(args.Count));
        }

        args.Add((long)limit);
        sql.Append(" ORDER BY q.__prxy_vector LIMIT ").Append(SqlDialect.Placeholder(args.Count));
        var rows = await _db.ReadRowsAsync(new SqlCommandText(sql.ToString(), args, Reusable: true), write: false, What, cancellationToken).ConfigureAwait(false);
        if (rows.Error is { } error)
        {
            return error;
        }

        // The last column is the distance; callers see it as "score".
        var scored = new List<DbRow>(rows.Data!.Count);
        RowShape? shape = null;
        foreach (var row in rows.Data)
        {
            var values = row.Values.ToArray();
            values[^1] = 1 - Convert.ToDouble(values[^1], System.Globalization.CultureInfo.InvariantCulture);
            shape ??= new RowShape([.. row.Keys.Take(values.Length - 1), "score"]);
            scored.Add(new DbRow(shape, values));
        }

        return DbResult<IReadOnlyList<DbRow>>.Success(scored);
    }

    private Task<DbResult<IReadOnlyList<DbRow>>> ScanAsync(string sql, List<object?> args, float[] query, int limit, double? minScore, CancellationToken cancellationToken)
    {
        var dialect = _db.Dialect;
        var min = minScore ?? double.NegativeInfinity;
        return _db.ReadAsync<IReadOnlyList<DbRow>>(new SqlCommandText(sql, args, Reusable: true), What, async (reader, ct) =>
        {
            var top = new TopK<DbRow>(limit);
            var vectorOrdinal = reader.FieldCount - 1;
            var expected = query.Length * sizeof(float);
            var buffer = ArrayPool<byte>.Shared.Rent(expected);
            RowShape? shape = null;
            try
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    var length = reader.GetBytes(vectorOrdinal, 0, null, 0, 0);
                    if (length != expected)
                    {
                        throw new InvalidQueryException($"column '{_table}.{reader.GetName(vectorOrdinal)}' holds a vector of {length} bytes; the query has {query.Length} dimensions ({expected} bytes).");
                    }

                    reader.GetBytes(vectorOrdinal, 0, buffer, 0, expected);
                    var score = VectorQuery.Cosine(query, VectorBlob.View(buffer.AsSpan(0, expected)));
                    if (score >= min && top.WouldAccept(score))
                    {
                        shape ??= new RowShape([.. Enumerable.Range(0, vectorOrdinal).Select(reader.GetName), "score"]);
                        var values = new object?[vectorOrdinal + 1];
                        for (var i = 0; i < vectorOrdinal; i++)
                        {
                            values[i] = dialect.ReadValue(reader, i);
                        }

                        values[^1] = score;
                        top.Add(score, new DbRow(shape, values));
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return top.ToSortedList().Select(e => e.Item).ToList();
        }, cancellationToken);
    }
}
