namespace Prxy.Typed;

/// <summary>A typed WHERE condition on table <typeparamref name="TTable"/>; combine with <c>&amp;</c>, <c>|</c> and <c>!</c>.</summary>
/// <typeparam name="TTable">The table the condition applies to; conditions on another table's columns do not compile.</typeparam>
public sealed class Filter<TTable> where TTable : ITable<TTable>
{
    internal Filter(FilterNode node) => Node = node;

    internal FilterNode Node { get; }

    /// <summary>Both conditions.</summary>
    public static Filter<TTable> operator &(Filter<TTable> left, Filter<TTable> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(new AndNode(left.Node, right.Node));
    }

    /// <summary>Either condition.</summary>
    public static Filter<TTable> operator |(Filter<TTable> left, Filter<TTable> right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(new OrNode(left.Node, right.Node));
    }

    /// <summary>The negated condition.</summary>
    public static Filter<TTable> operator !(Filter<TTable> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new(new NotNode(filter.Node));
    }

    /// <inheritdoc />
    public override string ToString() => Node.ToString()!;
}

/// <summary>Comparison operators of a <see cref="Filter{TTable}"/>.</summary>
public enum ComparisonOperator
{
    /// <summary><c>=</c></summary>
    Eq,
    /// <summary><c>&lt;&gt;</c></summary>
    Neq,
    /// <summary><c>&gt;</c></summary>
    Gt,
    /// <summary><c>&gt;=</c></summary>
    Gte,
    /// <summary><c>&lt;</c></summary>
    Lt,
    /// <summary><c>&lt;=</c></summary>
    Lte,
}

/// <summary>Where NULLs sort.</summary>
public enum NullsOrder
{
    /// <summary>The database's default (Postgres: last ascending, first descending; SQLite: first ascending).</summary>
    Default,
    /// <summary><c>NULLS FIRST</c></summary>
    First,
    /// <summary><c>NULLS LAST</c></summary>
    Last,
}

/// <summary>One ORDER BY term.</summary>
/// <param name="Column">The column.</param>
/// <param name="Descending">Descending order.</param>
/// <param name="Nulls">Where NULLs go.</param>
public sealed record Ordering(ColumnInfo Column, bool Descending, NullsOrder Nulls);

/// <summary>What an <see cref="Assignment{TTable}"/> does to its column.</summary>
public enum AssignmentKind
{
    /// <summary><c>c = value</c></summary>
    Set,
    /// <summary><c>c = c + value</c></summary>
    Increment,
}

/// <summary>One <c>SET</c> term of an update, made by <c>Column.Set(…)</c> or <c>Column.Increment(…)</c>.</summary>
/// <typeparam name="TTable">The table.</typeparam>
public sealed class Assignment<TTable> where TTable : ITable<TTable>
{
    internal Assignment(ColumnInfo column, AssignmentKind kind, object? value)
    {
        Column = column;
        Kind = kind;
        Value = value;
    }

    /// <summary>The column assigned.</summary>
    public ColumnInfo Column { get; }

    /// <summary>Set or increment.</summary>
    public AssignmentKind Kind { get; }

    /// <summary>The value (for JSON columns, the serialized text).</summary>
    public object? Value { get; }
}

// The filter tree the dialects render. Values are kept as given (JSON already serialized) and always bound as parameters.
internal abstract record FilterNode;

internal sealed record ComparisonNode(ColumnInfo Column, ComparisonOperator Operator, object Value) : FilterNode;

internal sealed record InNode(ColumnInfo Column, object?[] Values) : FilterNode;

internal sealed record NullNode(ColumnInfo Column, bool IsNull) : FilterNode;

/// <summary>LIKE with <c>ESCAPE '\'</c>: <c>%</c> and <c>_</c> in <see cref="Pattern"/> are wildcards unless escaped.</summary>
internal sealed record LikeNode(ColumnInfo Column, string Pattern, bool IgnoreCase) : FilterNode;

internal sealed record AndNode(FilterNode Left, FilterNode Right) : FilterNode;

internal sealed record OrNode(FilterNode Left, FilterNode Right) : FilterNode;

internal sealed record NotNode(FilterNode Inner) : FilterNode;

/// <summary>JSON text of a <c>[Json]</c> value, so dialects bind it as <c>jsonb</c> / <c>TEXT</c>.</summary>
internal sealed record JsonText(string Text);
