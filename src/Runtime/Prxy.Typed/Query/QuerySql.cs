using System.Text;

namespace Prxy.Typed;

/// <summary>
/// Turns typed query state into SQL through the database's dialect. The SQL text depends only on the query's shape (table,
/// filter structure, ordering, which of limit/offset are present, the record read); values are always parameters, collected
/// in placeholder order by the same walk that computes the shape key, so the text is built once per shape and cached.
/// </summary>
internal static class QuerySql
{
    private static readonly object[] SmallLongs = [.. Enumerable.Range(0, 257).Select(i => (object)(long)i)];

    /// <summary><paramref name="value"/> boxed, without allocating for the small limits and offsets most queries use.</summary>
    private static object Box(long value) => (ulong)value < (ulong)SmallLongs.Length ? SmallLongs[value] : value;

    /// <summary>How many values <see cref="Describe"/> collects for <paramref name="node"/>.</summary>
    public static int CountValues(FilterNode? node) => node switch
    {
        null or NullNode => 0,
        ComparisonNode or InNode or LikeNode => 1,
        AndNode a => CountValues(a.Left) + CountValues(a.Right),
        OrNode o => CountValues(o.Left) + CountValues(o.Right),
        NotNode n => CountValues(n.Inner),
        _ => 0,
    };

    /// <summary>Appends the filter's shape to <paramref name="key"/> and its values, in placeholder order, to <paramref name="values"/>.</summary>
    public static void Describe(SqlDialect dialect, FilterNode node, ShapeKey key, List<object?> values)
    {
        switch (node)
        {
            case ComparisonNode c:
                key.Append('c').Append(c.Column.Ordinal).Append((int)c.Operator).Append(';');
                values.Add(c.Value);
                break;
            case InNode i:
                key.Append('i').Append(i.Column.Ordinal).Append(';');
                values.Add(dialect.InListValue(i.Column, i.Values));
                break;
            case NullNode n:
                key.Append(n.IsNull ? 'n' : 'N').Append(n.Column.Ordinal).Append(';');
                break;
            case LikeNode l:
                key.Append(l.IgnoreCase ? 'L' : 'l').Append(l.Column.Ordinal).Append(';');
                values.Add(l.Pattern);
                break;
            case AndNode a:
                key.Append("&(");
                Describe(dialect, a.Left, key, values);
                Describe(dialect, a.Right, key, values);
                key.Append(')');
                break;
            case OrNode o:
                key.Append("|(");
                Describe(dialect, o.Left, key, values);
                Describe(dialect, o.Right, key, values);
                key.Append(')');
                break;
            case NotNode n:
                key.Append("!(");
                Describe(dialect, n.Inner, key, values);
                key.Append(')');
                break;
            default:
                throw new InvalidOperationException("Unknown filter node " + node.GetType().Name);
        }
    }

    /// <summary>Renders the filter with placeholders numbered from <paramref name="next"/>, in the order <see cref="Describe"/> collects values.</summary>
    public static void Render(SqlDialect dialect, FilterNode node, StringBuilder sql, ref int next)
    {
        switch (node)
        {
            case ComparisonNode c:
                dialect.AppendComparison(sql, c.Column, dialect.Quote(c.Column.Name), Operator(c.Operator), SqlDialect.Placeholder(next++));
                break;
            case InNode i:
                dialect.AppendIn(sql, i.Column, dialect.Quote(i.Column.Name), SqlDialect.Placeholder(next++));
                break;
            case NullNode n:
                sql.Append(dialect.Quote(n.Column.Name)).Append(n.IsNull ? " IS NULL" : " IS NOT NULL");
                break;
            case LikeNode l:
                dialect.AppendLike(sql, dialect.Quote(l.Column.Name), SqlDialect.Placeholder(next++), l.IgnoreCase);
                break;
            case AndNode a:
                sql.Append('(');
                Render(dialect, a.Left, sql, ref next);
                sql.Append(" AND ");
                Render(dialect, a.Right, sql, ref next);
                sql.Append(')');
                break;
            case OrNode o:
                sql.Append('(');
                Render(dialect, o.Left, sql, ref next);
                sql.Append(" OR ");
                Render(dialect, o.Right, sql, ref next);
                sql.Append(')');
                break;
            case NotNode n:
                sql.Append("(NOT ");
                Render(dialect, n.Inner, sql, ref next);
                sql.Append(')');
                break;
            default:
                throw new InvalidOperationException("Unknown filter node " + node.GetType().Name);
        }
    }

    public static string Operator(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Eq => "=",
        ComparisonOperator.Neq => "<>",
        ComparisonOperator.Gt => ">",
        ComparisonOperator.Gte => ">=",
        ComparisonOperator.Lt => "<",
        ComparisonOperator.Lte => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>What a SELECT-like statement returns.</summary>
    public enum SelectKind
    {
        Rows,
        Count,
        Exists,
    }

    /// <summary>SELECT of <paramref name="columns"/> (or COUNT / EXISTS) with the state's filter, order, limit and offset.</summary>
    public static SqlCommandText Select(QueryState state, IReadOnlyList<ColumnInfo> columns, string recordKey, SelectKind kind, long? limitOverride = null)
    {
        var dialect = state.Db.Dialect;

        // Single/MaybeSingle's own row cap (1 or 2) is part of the SQL text: as a parameter it would cost a bind per call.
        var fixedLimit = limitOverride is { } cap && state.Limit is null ? limitOverride : null;
        var limit = fixedLimit is not null ? null : limitOverride is { } most ? Math.Min(most, state.Limit ?? most) : state.Limit;
        var values = new List<object?>(CountValues(state.Filter) + (limit is null ? 0 : 1) + (state.Offset is null ? 0 : 1));
        var key = ShapeKey.Rent();
        key.Append((char)('0' + (int)kind)).Append('|').Append(state.Table.Name).Append('|').Append(recordKey).Append('|');
        if (state.Filter is not null)
        {
            Describe(dialect, state.Filter, key, values);
        }

        key.Append('|');
        foreach (var o in state.Orderings)
        {
            key.Append(o.Column.Ordinal).Append(o.Descending ? 'd' : 'a').Append((int)o.Nulls).Append(',');
        }

        key.Append(limit is null ? '-' : 'L').Append(state.Offset is null ? '-' : 'O');
        if (fixedLimit is { } rows)
        {
            key.Append('#').Append(rows);
        }

        if (limit is { } l)
        {
            values.Add(Box(l));
        }

        if (state.Offset is { } off)
        {
            values.Add(Box(off));
        }

        var sql = dialect.Statement(key, (state, columns, kind, hasLimit: limit is not null, fixedLimit), static s =>
        {
            var (state, columns, kind, hasLimit, fixedLimit) = s;
            var dialect = state.Db.Dialect;
            var paging = hasLimit || fixedLimit is not null || state.Offset is not null;
            var sql = new StringBuilder(256);
            if (kind == SelectKind.Count)
            {
                sql.Append(paging ? "SELECT COUNT(*) FROM (SELECT 1 FROM " : "SELECT COUNT(*) FROM ");
            }
            else if (kind == SelectKind.Exists)
            {
                sql.Append(paging ? "SELECT 1 FROM (SELECT 1 FROM " : "SELECT 1 FROM ");
            }
            else
            {
                sql.Append("SELECT ");
                for (var i = 0; i < columns.Count; i++)
                {
                    sql.Append(i == 0 ? "" : ", ").Append(dialect.Quote(columns[i].Name));
                }

                sql.Append(" FROM ");
            }

            sql.Append(dialect.Quote(state.Table.Name));
            var next = 1;
            if (state.Filter is not null)
            {
                sql.Append(" WHERE ");
                Render(dialect, state.Filter, sql, ref next);
            }

            if (kind == SelectKind.Rows || paging)
            {
                AppendOrder(dialect, state.Orderings, sql);
            }

            string? limitPh = hasLimit ? SqlDialect.Placeholder(next++) : fixedLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string? offsetPh = state.Offset is not null ? SqlDialect.Placeholder(next++) : null;
            dialect.AppendLimitOffset(sql, limitPh, offsetPh);
            if (kind != SelectKind.Rows && paging)
            {
                sql.Append(") AS q");
            }

            if (kind == SelectKind.Exists)
            {
                sql.Append(" LIMIT 1");
            }

            return sql.ToString();
        });
        return new SqlCommandText(sql, values, Reusable: true);
    }

    private static void AppendOrder(SqlDialect dialect, IReadOnlyList<Ordering> orderings, StringBuilder sql)
    {
        for (var i = 0; i < orderings.Count; i++)
        {
            var o = orderings[i];
            sql.Append(i == 0 ? " ORDER BY " : ", ").Append(dialect.ValueExpression(o.Column, dialect.Quote(o.Column.Name)));
            sql.Append(o.Descending ? " DESC" : " ASC");
            sql.Append(o.Nulls switch { NullsOrder.First => " NULLS FIRST", NullsOrder.Last => " NULLS LAST", _ => "" });
        }
    }

    /// <summary>UPDATE … SET … WHERE ….</summary>
    public static SqlCommandText Update<T>(QueryState state, IReadOnlyList<Assignment<T>> assignments) where T : ITable<T>
    {
        var dialect = state.Db.Dialect;
        var values = new List<object?>(assignments.Count + CountValues(state.Filter));
        var key = ShapeKey.Rent();
        key.Append("U|").Append(state.Table.Name).Append('|');
        foreach (var a in assignments)
        {
            key.Append(a.Column.Ordinal).Append(a.Kind == AssignmentKind.Increment ? '+' : '=').Append(',');
            values.Add(a.Value);
        }

        key.Append('|');
        if (state.Filter is not null)
        {
            Describe(dialect, state.Filter, key, values);
        }

        var sql = dialect.Statement(key, (state, assignments), static s =>
        {
            var (state, assignments) = s;
            var dialect = state.Db.Dialect;
            var sql = new StringBuilder(256).Append("UPDATE ").Append(dialect.Quote(state.Table.Name)).Append(" SET ");
            var next = 1;
            for (var i = 0; i < assignments.Count; i++)
            {
                var a = assignments[i];
                var column = dialect.Quote(a.Column.Name);
                sql.Append(i == 0 ? "" : ", ").Append(column).Append(" = ");
                if (a.Kind == AssignmentKind.Increment)
                {
                    sql.Append(column).Append(" + ");
                }

                sql.Append(SqlDialect.Placeholder(next++));
            }

            if (state.Filter is not null)
            {
                sql.Append(" WHERE ");
                Render(dialect, state.Filter, sql, ref next);
            }

            return sql.ToString();
        });
        return new SqlCommandText(sql, values, Reusable: true);
    }

    /// <summary>DELETE … WHERE ….</summary>
    public static SqlCommandText Delete(QueryState state)
    {
        var dialect = state.Db.Dialect;
        var values = new List<object?>(CountValues(state.Filter));
        var key = ShapeKey.Rent();
        key.Append("D|").Append(state.Table.Name).Append('|');
        if (state.Filter is not null)
        {
            Describe(dialect, state.Filter, key, values);
        }

        var sql = dialect.Statement(key, state, static state =>
        {
            var dialect = state.Db.Dialect;
            var sql = new StringBuilder(128).Append("DELETE FROM ").Append(dialect.Quote(state.Table.Name));
            var next = 1;
            if (state.Filter is not null)
            {
                sql.Append(" WHERE ");
                Render(dialect, state.Filter, sql, ref next);
            }

            return sql.ToString();
        });
        return new SqlCommandText(sql, values, Reusable: true);
    }

    /// <summary>INSERT of <paramref name="rowCount"/> rows, optionally with an upsert clause and RETURNING every column.</summary>
    public static string Insert(SqlDialect dialect, TableInfo table, int rowCount, IReadOnlyList<ColumnInfo>? conflict, bool returning)
    {
        var key = ShapeKey.Rent();
        key.Append("I|").Append(table.Name).Append('|').Append(rowCount).Append(returning ? "|r|" : "|-|");
        if (conflict is not null)
        {
            foreach (var c in conflict)
            {
                key.Append(c.Ordinal).Append(',');
            }
        }

        return dialect.Statement(key, (dialect, table, rowCount, conflict, returning), static s =>
        {
            var (dialect, table, rowCount, conflict, returning) = s;
            var columns = table.Columns;
            var sql = new StringBuilder(64 + (rowCount * columns.Count * 5)).Append("INSERT INTO ").Append(dialect.Quote(table.Name)).Append(" (");
            var list = new StringBuilder();
            for (var i = 0; i < columns.Count; i++)
            {
                list.Append(i == 0 ? "" : ", ").Append(dialect.Quote(columns[i].Name));
            }

            sql.Append(list).Append(") VALUES ");
            var next = 1;
            for (var r = 0; r < rowCount; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var i = 0; i < columns.Count; i++)
                {
                    sql.Append(i == 0 ? "" : ", ").Append(SqlDialect.Placeholder(next++));
                }

                sql.Append(')');
            }

            if (conflict is not null)
            {
                dialect.AppendUpsert(sql, columns, conflict);
            }

            if (returning)
            {
                sql.Append(" RETURNING ").Append(list);
            }

            return sql.ToString();
        });
    }
}

/// <summary>The immutable state of a typed query chain.</summary>
internal readonly record struct QueryState(SqlDatabase Db, TableInfo Table, FilterNode? Filter, IReadOnlyList<Ordering> Orderings, long? Limit, long? Offset);
