using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Prxy.Typed;

/// <summary>A column of table <typeparamref name="TTable"/>; the generator creates one per property as <c>T.Columns.X</c>.</summary>
/// <typeparam name="TTable">The table.</typeparam>
public abstract class Column<TTable> where TTable : ITable<TTable>
{
    /// <summary>Wraps generated column metadata.</summary>
    protected Column(ColumnInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Info = info;
    }

    /// <summary>The column's metadata.</summary>
    public ColumnInfo Info { get; }

    /// <summary><c>column IS NULL</c></summary>
    public Filter<TTable> IsNull() => new(new NullNode(Info, IsNull: true));

    /// <summary><c>column IS NOT NULL</c></summary>
    public Filter<TTable> IsNotNull() => new(new NullNode(Info, IsNull: false));

    /// <summary>Sets the column to NULL in an update; the column must be nullable.</summary>
    public Assignment<TTable> SetNull()
    {
        if (!Info.IsNullable)
        {
            throw new InvalidOperationException($"Column '{Info.Table.Name}.{Info.Name}' is not nullable; it cannot be set to NULL.");
        }

        return new(Info, AssignmentKind.Set, null);
    }

    /// <summary>Builds a filter node from a derived column type.</summary>
    private protected Filter<TTable> Compare(ComparisonOperator op, object value) => new(new ComparisonNode(Info, op, value));

    /// <inheritdoc />
    public override string ToString() => $"{Info.Table?.Name}.{Info.Name}";
}

/// <summary>A column of values that can be compared for equality.</summary>
/// <typeparam name="TTable">The table.</typeparam>
/// <typeparam name="TValue">The column's CLR type, without nullability.</typeparam>
public class Column<TTable, TValue> : Column<TTable> where TTable : ITable<TTable> where TValue : notnull
{
    /// <summary>Wraps generated column metadata.</summary>
    public Column(ColumnInfo info) : base(info)
    {
    }

    /// <summary><c>column = value</c> (use <see cref="Column{TTable}.IsNull"/> for NULL).</summary>
    public Filter<TTable> Eq(TValue value) => Compare(ComparisonOperator.Eq, Box(value));

    /// <summary><c>column &lt;&gt; value</c>; like SQL, rows where the column is NULL do not match.</summary>
    public Filter<TTable> Neq(TValue value) => Compare(ComparisonOperator.Neq, Box(value));

    /// <summary><c>column IN (…)</c>; an empty list matches no row. Any length works.</summary>
    public Filter<TTable> In(IEnumerable<TValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var boxed = values is ICollection<TValue> c ? new List<object?>(c.Count) : new List<object?>();
        foreach (var value in values)
        {
            boxed.Add(Box(value));
        }

        return new(new InNode(Info, [.. boxed]));
    }

    /// <summary><c>column IN (…)</c>.</summary>
    public Filter<TTable> In(params TValue[] values) => In((IEnumerable<TValue>)values);

    /// <summary>Sets the column in an update.</summary>
    public Assignment<TTable> Set(TValue value) => new(Info, AssignmentKind.Set, Box(value));

    /// <summary>Boxes a value for binding; rejects null (a caller bug: use IsNull / SetNull).</summary>
    private protected object Box(TValue value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value), $"A null value for column '{Info.Table?.Name}.{Info.Name}': use IsNull()/SetNull() instead.");
        }

        return value;
    }
}

/// <summary>A text column: equality, IN and LIKE / ILIKE.</summary>
/// <typeparam name="TTable">The table.</typeparam>
public sealed class TextColumn<TTable> : Column<TTable, string> where TTable : ITable<TTable>
{
    /// <summary>Wraps generated column metadata.</summary>
    public TextColumn(ColumnInfo info) : base(info)
    {
    }

    /// <summary><c>column LIKE pattern ESCAPE '\'</c>: <c>%</c> and <c>_</c> are wildcards, <c>\</c> escapes them.</summary>
    public Filter<TTable> Like(string pattern) => new(new LikeNode(Info, Pattern(pattern), IgnoreCase: false));

    /// <summary>Case-insensitive LIKE (<c>ILIKE</c> on Postgres; <c>lower(c) LIKE lower(p)</c> on SQLite, full Unicode).</summary>
    public Filter<TTable> ILike(string pattern) => new(new LikeNode(Info, Pattern(pattern), IgnoreCase: true));

    /// <summary>The column starts with <paramref name="text"/>, taken literally.</summary>
    public Filter<TTable> StartsWith(string text) => Like(LikePattern.Escape(text) + "%");

    /// <summary>The column contains <paramref name="text"/>, taken literally.</summary>
    public Filter<TTable> Contains(string text) => Like("%" + LikePattern.Escape(text) + "%");

    /// <summary>The column ends with <paramref name="text"/>, taken literally.</summary>
    public Filter<TTable> EndsWith(string text) => Like("%" + LikePattern.Escape(text));

    private static string Pattern(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return pattern;
    }
}

/// <summary>A column with an order: dates, times, numbers.</summary>
/// <typeparam name="TTable">The table.</typeparam>
/// <typeparam name="TValue">The column's CLR type.</typeparam>
public class ComparableColumn<TTable, TValue> : Column<TTable, TValue>
    where TTable : ITable<TTable>
    where TValue : struct, IComparable<TValue>
{
    /// <summary>Wraps generated column metadata.</summary>
    public ComparableColumn(ColumnInfo info) : base(info)
    {
    }

    /// <summary><c>column &gt; value</c></summary>
    public Filter<TTable> Gt(TValue value) => Compare(ComparisonOperator.Gt, value);

    /// <summary><c>column &gt;= value</c></summary>
    public Filter<TTable> Gte(TValue value) => Compare(ComparisonOperator.Gte, value);

    /// <summary><c>column &lt; value</c></summary>
    public Filter<TTable> Lt(TValue value) => Compare(ComparisonOperator.Lt, value);

    /// <summary><c>column &lt;= value</c></summary>
    public Filter<TTable> Lte(TValue value) => Compare(ComparisonOperator.Lte, value);
}

/// <summary>A numeric column: comparisons and atomic increments.</summary>
/// <typeparam name="TTable">The table.</typeparam>
/// <typeparam name="TValue">The column's CLR type.</typeparam>
public sealed class NumberColumn<TTable, TValue> : ComparableColumn<TTable, TValue>
    where TTable : ITable<TTable>
    where TValue : struct, INumber<TValue>
{
    /// <summary>Wraps generated column metadata.</summary>
    public NumberColumn(ColumnInfo info) : base(info)
    {
    }

    /// <summary><c>SET column = column + by</c> in an update (NULL stays NULL).</summary>
    public Assignment<TTable> Increment(TValue by) => new(Info, AssignmentKind.Increment, by);
}

/// <summary>A <c>[Json]</c> column: equality of the JSON value and NULL tests.</summary>
/// <typeparam name="TTable">The table.</typeparam>
/// <typeparam name="TValue">The property's type.</typeparam>
public sealed class JsonColumn<TTable, TValue> : Column<TTable> where TTable : ITable<TTable>
{
    private readonly JsonTypeInfo<TValue> _typeInfo;

    /// <summary>Wraps generated column metadata and the JSON type information the generator chose.</summary>
    public JsonColumn(ColumnInfo info, JsonTypeInfo<TValue> typeInfo) : base(info)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        _typeInfo = typeInfo;
    }

    /// <summary>The column's JSON equals <paramref name="value"/>'s (jsonb equality on Postgres, normalized text on SQLite).</summary>
    public Filter<TTable> Eq(TValue value) => Compare(ComparisonOperator.Eq, new JsonText(JsonSerializer.Serialize(value, _typeInfo)));

    /// <summary>Sets the column in an update.</summary>
    public Assignment<TTable> Set(TValue value) => new(Info, AssignmentKind.Set, new JsonText(JsonSerializer.Serialize(value, _typeInfo)));
}

/// <summary>A <c>[Vector(n)]</c> column: used by vector search, NULL tests and updates.</summary>
/// <typeparam name="TTable">The table.</typeparam>
public sealed class VectorColumn<TTable> : Column<TTable> where TTable : ITable<TTable>
{
    /// <summary>Wraps generated column metadata.</summary>
    public VectorColumn(ColumnInfo info) : base(info)
    {
    }

    /// <summary>The column's dimensions.</summary>
    public int Dimensions => Info.VectorDimensions;

    /// <summary>Sets the vector in an update; its length must equal <see cref="Dimensions"/>.</summary>
    public Assignment<TTable> Set(ReadOnlyMemory<float> value)
    {
        if (value.Length != Dimensions)
        {
            throw new ArgumentException($"Column '{Info.Table?.Name}.{Info.Name}' holds vectors of {Dimensions} dimensions; the value has {value.Length}.", nameof(value));
        }

        return new(Info, AssignmentKind.Set, value.ToArray());
    }
}

/// <summary>LIKE pattern helpers.</summary>
public static class LikePattern
{
    /// <summary>Escapes <c>\</c>, <c>%</c> and <c>_</c> so <paramref name="text"/> matches literally under <c>ESCAPE '\'</c>.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.AsSpan().IndexOfAny('\\', '%', '_') < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 8);
        foreach (var ch in text)
        {
            if (ch is '\\' or '%' or '_')
            {
                builder.Append('\\');
            }

            builder.Append(ch);
        }

        return builder.ToString();
    }
}
