using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;

namespace Prxy.Typed;

/// <summary>
/// Everything that differs between SQL databases: placeholders, quoting, type mapping, LIKE/IN/upsert rendering,
/// parameter binding, record reading and error mapping. One instance per database; it also caches SQL text per query shape.
/// </summary>
internal abstract class SqlDialect
{
    private readonly ConcurrentDictionary<string, string> _statements;
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _statementsBySpan;

    protected SqlDialect()
    {
        _statements = new(StringComparer.Ordinal);
        _statementsBySpan = _statements.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The dialect.</summary>
    public abstract SqlDialectKind Kind { get; }

    /// <summary>The OpenTelemetry <c>db.system.name</c> of this database.</summary>
    public abstract string SystemName { get; }

    /// <summary>Most parameters one statement may carry.</summary>
    public abstract int MaxParameters { get; }

    /// <summary>Parameters a batched INSERT statement aims for (at most <see cref="MaxParameters"/>).</summary>
    public virtual int BatchParameters => MaxParameters;

    /// <summary>The <paramref name="index"/>-th (1-based) placeholder. Both dialects accept <c>$n</c>; SQLite treats it as a named parameter.</summary>
    public static string Placeholder(int index) => index < PlaceholderNames.Length ? PlaceholderNames[index] : "$" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] PlaceholderNames = [.. Enumerable.Range(0, 2049).Select(i => "$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Quotes an identifier that was already validated (generated metadata or checked against the live schema).</summary>
    public virtual string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The SQL type that stores <paramref name="column"/>, as migrations should declare it.</summary>
    public abstract string SqlType(ColumnInfo column);

    /// <summary>
    /// The SQL text for a query shape, built by <paramref name="build"/> the first time the shape is seen. Takes
    /// <paramref name="shapeKey"/> back (it must not be used afterwards); a shape already cached costs no allocation.
    /// The same text is returned for a shape every time, which is what lets connections keep its prepared command.
    /// </summary>
    public string Statement<TState>(ShapeKey shapeKey, TState state, Func<TState, string> build)
    {
        try
        {
            if (_statementsBySpan.TryGetValue(shapeKey.Span, out var sql))
            {
                return sql;
            }

            sql = build(state);
            return _statements.GetOrAdd(shapeKey.ToString(), sql);
        }
        finally
        {
            shapeKey.Release();
        }
    }

    /// <summary>How many SQL statements are cached (for tests of the shape cache).</summary>
    public int CachedStatementCount => _statements.Count;

    /// <summary>A column as it appears in a comparison or ORDER BY (SQLite orders decimals numerically).</summary>
    public virtual string ValueExpression(ColumnInfo column, string quoted) => quoted;

    /// <summary>Appends <c>column op placeholder</c>.</summary>
    public virtual void AppendComparison(StringBuilder sql, ColumnInfo column, string quoted, string op, string placeholder)
        => sql.Append(ValueExpression(column, quoted)).Append(' ').Append(op).Append(' ').Append(ValueExpression(column, placeholder));

    /// <summary>Appends a LIKE / ILIKE test with <c>ESCAPE '\'</c>.</summary>
    public abstract void AppendLike(StringBuilder sql, string quoted, string placeholder, bool ignoreCase);

    /// <summary>Appends an IN test whose values are one parameter made by <see cref="InListValue"/>.</summary>
    public abstract void AppendIn(StringBuilder sql, ColumnInfo? column, string quoted, string placeholder);

    /// <summary>The single parameter value carrying an IN list; throws <see cref="InvalidQueryException"/> when the values cannot be sent.</summary>
    public abstract object InListValue(ColumnInfo? column, IReadOnlyList<object?> values);

    /// <summary>Appends <c>LIMIT</c>/<c>OFFSET</c> with the given placeholders (either may be null).</summary>
    public virtual void AppendLimitOffset(StringBuilder sql, string? limit, string? offset)
    {
        if (limit is not null)
        {
            sql.Append(" LIMIT ").Append(limit);
        }

        if (offset is not null)
        {
            sql.Append(" OFFSET ").Append(offset);
        }
    }

    /// <summary>Appends <c>ON CONFLICT (keys) DO UPDATE SET c = excluded.c, …</c> (or <c>DO NOTHING</c> when every column is a key).</summary>
    public virtual void AppendUpsert(StringBuilder sql, IReadOnlyList<ColumnInfo> columns, IReadOnlyList<ColumnInfo> conflict)
    {
        sql.Append(" ON CONFLICT (");
        for (var i = 0; i < conflict.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(Quote(conflict[i].Name));
        }

        sql.Append(')');
        var first = true;
        foreach (var column in columns)
        {
            if (conflict.Contains(column))
            {
                continue;
            }

            sql.Append(first ? " DO UPDATE SET " : ", ").Append(Quote(column.Name)).Append(" = excluded.").Append(Quote(column.Name));
            first = false;
        }

        if (first)
        {
            sql.Append(" DO NOTHING");
        }
    }

    /// <summary>
    /// Binds <paramref name="args"/> as the positional parameters <c>$1…$n</c>, converting each value for this dialect. A command
    /// that already has those parameters (a prepared command run again) gets new values in the same parameter objects.
    /// </summary>
    public abstract void BindArguments(DbCommand command, IReadOnlyList<object?> args);

    /// <summary>Binds one parameter per column of <paramref name="row"/> as <c>$(offset+1)…</c>, setting them when the command already has them.</summary>
    public abstract void BindRow<T>(DbCommand command, int offset, T row) where T : ITable<T>;

    /// <summary>Reads the current row of <paramref name="reader"/> as <typeparamref name="T"/>.</summary>
    public abstract T Read<T>(DbDataReader reader) where T : IRecord<T>;

    /// <summary>Reads the value of an untyped result column (null for SQL NULL).</summary>
    public virtual object? ReadValue(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetValue(ordinal);

    /// <summary>SQL returning (table, column) for every table and view the untyped API may use.</summary>
    public abstract string LiveSchemaSql { get; }

    /// <summary>
    /// Whether <paramref name="exception"/> says a statement prepared on this connection outlived a schema change and was
    /// refused before it ran (safe to run once more outside a transaction).
    /// </summary>
    public virtual bool IsStalePreparedStatement(Exception exception) => false;

    /// <summary>Maps a provider exception to an error value; <paramref name="what"/> names the table or statement.</summary>
    public abstract DbError MapError(Exception exception, string what);

    /// <summary>A <see cref="DateTime"/> as UTC: local times are converted, unspecified ones are taken as UTC (the contract says UTC).</summary>
    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    /// <summary>A message that never carries connection details.</summary>
    protected static string Describe(string what, string detail) => $"{what}: {detail}";
}

/// <summary>A query the layer refuses before it reaches the database; becomes a <see cref="DbErrorKind.InvalidQuery"/> value.</summary>
internal sealed class InvalidQueryException(string message) : Exception(message);
