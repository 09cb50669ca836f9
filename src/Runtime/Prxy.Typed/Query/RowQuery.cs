using System.Text;

namespace Prxy.Typed;

/// <summary>
/// The untyped, string-based query chain: <c>db.From("t").Select("a, b").Eq("c", v).Order("a").Limit(5).ExecuteAsync(ct)</c>.
/// Table and column names are checked against the live schema when the query runs and then quoted; an unknown or malformed
/// name is a <see cref="DbErrorKind.InvalidQuery"/> error value and never reaches SQL. Values are always parameters.
/// Prefer the typed chain (<see cref="IDatabase.From{T}"/>) where the table is known at compile time.
/// </summary>
public sealed partial class RowQuery
{
    private const int MaxIdentifierBytes = 63;

    private readonly SqlDatabase _db;
    private readonly string _table;
    private readonly List<string> _columns = [];
    private readonly List<(string Column, string Op, object? Value)> _filters = [];
    private readonly List<(string Column, bool Ascending, bool? NullsFirst)> _orders = [];
    private long? _limit;
    private long? _offset;

    internal RowQuery(SqlDatabase db, string table)
    {
        _db = db;
        _table = table;
    }

    /// <summary>Selects a comma-separated list of columns (default: every column).</summary>
    public RowQuery Select(string columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var part in columns.Split(','))
        {
            var name = part.Trim();
            if (name != "*")
            {
                _columns.Add(name);
            }
        }

        return this;
    }

    /// <summary><c>column = value</c>; a null value means <c>IS NULL</c>.</summary>
    public RowQuery Eq(string column, object? value) => value is null ? IsNull(column) : Add(column, "=", value);

    /// <summary><c>column &lt;&gt; value</c>; a null value means <c>IS NOT NULL</c>.</summary>
    public RowQuery Neq(string column, object? value) => value is null ? IsNotNull(column) : Add(column, "<>", value);

    /// <summary><c>column &gt; value</c></summary>
    public RowQuery Gt(string column, object value) => Add(column, ">", value);

    /// <summary><c>column &gt;= value</c></summary>
    public RowQuery Gte(string column, object value) => Add(column, ">=", value);

    /// <summary><c>column &lt; value</c></summary>
    public RowQuery Lt(string column, object value) => Add(column, "<", value);

    /// <summary><c>column &lt;= value</c></summary>
    public RowQuery Lte(string column, object value) => Add(column, "<=", value);

    /// <summary><c>column LIKE pattern ESCAPE '\'</c> (case-sensitive on both dialects).</summary>
    public RowQuery Like(string column, string pattern) => Add(column, "like", pattern ?? throw new ArgumentNullException(nameof(pattern)));

    /// <summary>Case-insensitive LIKE (full Unicode case folding on both dialects).</summary>
    public RowQuery ILike(string column, string pattern) => Add(column, "ilike", pattern ?? throw new ArgumentNullException(nameof(pattern)));

    /// <summary><c>column IN (…)</c> of any length; an empty list matches nothing. The values must share one type.</summary>
    public RowQuery In(string column, IEnumerable<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Add(column, "in", values.ToArray());
    }

    /// <summary><c>column IS NULL</c></summary>
    public RowQuery IsNull(string column) => Add(column, "null", null);

    /// <summary><c>column IS NOT NULL</c></summary>
    public RowQuery IsNotNull(string column) => Add(column, "notnull", null);

    /// <summary>Orders by <paramref name="column"/>; <paramref name="nullsFirst"/> null keeps the database default.</summary>
    public RowQuery Order(string column, bool ascending = true, bool? nullsFirst = null)
    {
        ArgumentNullException.ThrowIfNull(column);
        _orders.Add((column, ascending, nullsFirst));
        return this;
    }

    /// <summary>Returns at most <paramref name="count"/> rows.</summary>
    public RowQuery Limit(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _limit = count;
        return this;
    }

    /// <summary>Skips the first <paramref name="count"/> rows.</summary>
    public RowQuery Offset(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _offset = count;
        return this;
    }

    private RowQuery Add(string column, string op, object? value)
    {
        ArgumentNullException.ThrowIfNull(column);
        _filters.Add((column, op, value));
        return this;
    }

    /// <summary>Runs the SELECT.</summary>
    public async Task<DbResult<IReadOnlyList<DbRow>>> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (_vectorSearch is not null)
        {
            return await ExecuteVectorSearchAsync(cancellationToken).ConfigureAwait(false);
        }

        var checkedNames = await CheckAsync(_columns.Concat(_orders.Select(o => o.Column)), cancellationToken).ConfigureAwait(false);
        if (checkedNames is { } error)
        {
            return error;
        }

        var dialect = _db.Dialect;
        var sql = new StringBuilder("SELECT ");
        sql.Append(_columns.Count == 0 ? "*" : string.Join(", ", _columns.Select(dialect.Quote)));
        sql.Append(" FROM ").Append(dialect.Quote(_table));
        var args = new List<object?>();
        if (!TryAppendWhere(sql, args, out var invalid))
        {
            return invalid;
        }

        for (var i = 0; i < _orders.Count; i++)
        {
            var (column, ascending, nullsFirst) = _orders[i];
            sql.Append(i == 0 ? " ORDER BY " : ", ").Append(dialect.Quote(column)).Append(ascending ? " ASC" : " DESC");
            sql.Append(nullsFirst switch { true => " NULLS FIRST", false => " NULLS LAST", null => "" });
        }

        string? limit = null, offset = null;
        if (_limit is { } l)
        {
            args.Add(l);
            limit = SqlDialect.Placeholder(args.Count);
        }

        if (_offset is { } o)
        {
            args.Add(o);
            offset = SqlDialect.Placeholder(args.Count);
        }

        dialect.AppendLimitOffset(sql, limit, offset);
        return await _db.ReadRowsAsync(new SqlCommandText(sql.ToString(), args, Reusable: true), write: false, What, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Inserts one row of column → value; returns the number of rows inserted.</summary>
    public async Task<DbResult<int>> InsertAsync(IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException($"An insert into '{_table}' needs at least one column.", nameof(values));
        }

        if (await CheckAsync(values.Keys, cancellationToken).ConfigureAwait(false) is { } error)
        {
            return error;
        }

        var dialect = _db.Dialect;
        var args = values.Values.ToList();
        var sql = $"INSERT INTO {dialect.Quote(_table)} ({string.Join(", ", values.Keys.Select(dialect.Quote))}) VALUES ({string.Join(", ", Enumerable.Range(1, args.Count).Select(SqlDialect.Placeholder))})";
        return await _db.ExecuteAsync(new SqlCommandText(sql, args, Reusable: true), What, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets column → value on every row matching the filters; returns how many rows changed.</summary>
    public async Task<DbResult<int>> UpdateAsync(IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException($"An update of '{_table}' needs at least one column.", nameof(values));
        }

        if (await CheckAsync(values.Keys, cancellationToken).ConfigureAwait(false) is { } error)
        {
            return error;
        }

        var dialect = _db.Dialect;
        var args = new List<object?>();
        var sql = new StringBuilder("UPDATE ").Append(dialect.Quote(_table)).Append(" SET ");
        foreach (var (column, value) in values)
        {
            args.Add(value);
            sql.Append(args.Count == 1 ? "" : ", ").Append(dialect.Quote(column)).Append(" = ").Append(SqlDialect.Placeholder(args.Count));
        }

        if (!TryAppendWhere(sql, args, out var invalid))
        {
            return invalid;
        }

        return await _db.ExecuteAsync(new SqlCommandText(sql.ToString(), args, Reusable: true), What, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every row matching the filters; returns how many were deleted.</summary>
    public async Task<DbResult<int>> DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (await CheckAsync([], cancellationToken).ConfigureAwait(false) is { } error)
        {
            return error;
        }

        var sql = new StringBuilder("DELETE FROM ").Append(_db.Dialect.Quote(_table));
        var args = new List<object?>();
        if (!TryAppendWhere(sql, args, out var invalid))
        {
            return invalid;
        }

        return await _db.ExecuteAsync(new SqlCommandText(sql.ToString(), args, Reusable: true), What, cancellationToken).ConfigureAwait(false);
    }

    private string What => $"table '{Printable(_table)}'";

    private bool TryAppendWhere(StringBuilder sql, List<object?> args, out DbError error)
    {
        var dialect = _db.Dialect;
        error = null!;
        for (var i = 0; i < _filters.Count; i++)
        {
            var (column, op, value) = _filters[i];
            var quoted = dialect.Quote(column);
            sql.Append(i == 0 ? " WHERE " : " AND ");
            switch (op)
            {
                case "null":
                    sql.Append(quoted).Append(" IS NULL");
                    continue;
                case "notnull":
                    sql.Append(quoted).Append(" IS NOT NULL");
                    continue;
                case "in":
                    try
                    {
                        args.Add(dialect.InListValue(null, (object?[])value!));
                    }
                    catch (InvalidQueryException ex)
                    {
                        error = _db.Fail(ex, $"{What}, column '{column}'", CancellationToken.None);
                        return false;
                    }

                    dialect.AppendIn(sql, null, quoted, SqlDialect.Placeholder(args.Count));
                    continue;
                case "like" or "ilike":
                    args.Add(value);
                    dialect.AppendLike(sql, quoted, SqlDialect.Placeholder(args.Count), op == "ilike");
                    continue;
                default:
                    args.Add(value);
                    sql.Append(quoted).Append(' ').Append(op).Append(' ').Append(SqlDialect.Placeholder(args.Count));
                    continue;
            }
        }

        return true;
    }

    /// <summary>Checks the table and the given columns (plus every filter column) against the live schema; null when all exist.</summary>
    private async Task<DbError?> CheckAsync(IEnumerable<string> columns, CancellationToken cancellationToken)
    {
        if (Malformed(_table) is { } badTable)
        {
            return Invalid($"'{Printable(_table)}' is not a valid table name: {badTable}.");
        }

        var names = columns.Concat(_filters.Select(f => f.Column)).ToList();
        foreach (var name in names)
        {
            if (Malformed(name) is { } bad)
            {
                return Invalid($"'{Printable(name)}' is not a valid column name of table '{_table}': {bad}.");
            }
        }

        var schema = await _db.GetLiveSchemaAsync(cancellationToken).ConfigureAwait(false);
        if (schema.Error is { } error)
        {
            return error;
        }

        var tableColumns = schema.Data!.Columns(_table);
        if (tableColumns is null)
        {
            return Invalid($"table '{_table}' does not exist (if a migration just created it, call InvalidateSchema()).");
        }

        foreach (var name in names)
        {
            if (!tableColumns.Contains(name))
            {
                return Invalid($"table '{_table}' has no column '{name}'; it has: {string.Join(", ", tableColumns.Order(StringComparer.Ordinal))}.");
            }
        }

        return null;

        DbError Invalid(string message)
        {
            var invalid = new DbError(DbErrorKind.InvalidQuery, message);
            return invalid;
        }
    }

    /// <summary>Why <paramref name="name"/> cannot be an identifier, or null: <c>[A-Za-z_][A-Za-z0-9_]*</c>, at most 63 bytes.</summary>
    internal static string? Malformed(string name)
    {
        if (name.Length == 0)
        {
            return "it is empty";
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxIdentifierBytes)
        {
            return $"it is longer than {MaxIdentifierBytes} bytes";
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (i > 0 && c is >= '0' and <= '9');
            if (!ok)
            {
                return c == '\0' ? "it contains a NUL character" : $"it contains '{Printable(c.ToString())}' (only letters, digits and '_' are allowed)";
            }
        }

        return null;
    }

    private static string Printable(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 80));
        foreach (var c in text.Length > 80 ? text[..80] + "…" : text)
        {
            builder.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return builder.ToString();
    }
}
