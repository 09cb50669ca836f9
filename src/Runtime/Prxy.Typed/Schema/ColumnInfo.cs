namespace Prxy.Typed;

/// <summary>Generated metadata of one column. Names are validated SQL identifiers, safe to quote into SQL.</summary>
/// <param name="Name">SQL column name.</param>
/// <param name="PropertyName">C# property name.</param>
/// <param name="Ordinal">Position in <see cref="TableInfo.Columns"/>; the generated reader and writer use it.</param>
/// <param name="Kind">Storage kind.</param>
/// <param name="ClrType">The property's CLR type (without nullability), for messages and parameter typing.</param>
/// <param name="IsNullable">Whether the property accepts null.</param>
/// <param name="IsPrimaryKey">Whether the column is (part of) the primary key.</param>
/// <param name="VectorDimensions">Dimensions of a vector column; 0 otherwise.</param>
public sealed record ColumnInfo(
    string Name,
    string PropertyName,
    int Ordinal,
    ColumnKind Kind,
    Type ClrType,
    bool IsNullable,
    bool IsPrimaryKey,
    int VectorDimensions = 0)
{
    /// <summary>The table this column belongs to; set once by <see cref="TableInfo"/>.</summary>
    public TableInfo Table { get; internal set; } = null!;
}
