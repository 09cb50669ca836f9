namespace Prxy.Typed;

/// <summary>Generated metadata of one <c>[Table]</c> record.</summary>
public sealed class TableInfo
{
    /// <summary>Creates the metadata; the generator calls this once per table.</summary>
    /// <param name="name">SQL table name.</param>
    /// <param name="clrType">The record type.</param>
    /// <param name="columns">Every column, in declaration order; <see cref="ColumnInfo.Ordinal"/> must equal the index.</param>
    public TableInfo(string name, Type clrType, IReadOnlyList<ColumnInfo> columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(clrType);
        ArgumentNullException.ThrowIfNull(columns);
        Name = name;
        ClrType = clrType;
        Columns = columns;
        var keys = new List<ColumnInfo>();
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            if (column.Ordinal != i)
            {
                throw new ArgumentException($"Column '{column.Name}' of table '{name}' has ordinal {column.Ordinal} at position {i}.", nameof(columns));
            }

            column.Table = this;
            if (column.IsPrimaryKey)
            {
                keys.Add(column);
            }
        }

        PrimaryKey = keys;
    }

    /// <summary>SQL table name.</summary>
    public string Name { get; }

    /// <summary>The record type.</summary>
    public Type ClrType { get; }

    /// <summary>Every column in declaration order.</summary>
    public IReadOnlyList<ColumnInfo> Columns { get; }

    /// <summary>The primary-key columns.</summary>
    public IReadOnlyList<ColumnInfo> PrimaryKey { get; }

    /// <summary>Finds a column by SQL name (ordinal comparison); null when the table has none.</summary>
    public ColumnInfo? FindColumn(string name)
    {
        foreach (var column in Columns)
        {
            if (string.Equals(column.Name, name, StringComparison.Ordinal))
            {
                return column;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
