namespace Prxy.Typed;

/// <summary>Marks a <c>partial record</c> as a table row; the generator implements <see cref="ITable{TSelf}"/> for it.</summary>
/// <param name="name">The SQL table name: <c>[A-Za-z_][A-Za-z0-9_]*</c>, at most 63 bytes.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class TableAttribute(string name) : Attribute
{
    /// <summary>The SQL table name.</summary>
    public string Name { get; } = name;
}

/// <summary>Maps a property to a column whose name differs from the snake_case of the property name.</summary>
/// <param name="name">The SQL column name: <c>[A-Za-z_][A-Za-z0-9_]*</c>, at most 63 bytes.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ColumnAttribute(string name) : Attribute
{
    /// <summary>The SQL column name.</summary>
    public string Name { get; } = name;
}

/// <summary>Marks the property (or properties, for a composite key) that form the table's primary key.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PrimaryKeyAttribute : Attribute;

/// <summary>Stores the property as JSON (<c>jsonb</c> on PostgreSQL, <c>TEXT</c> on SQLite) with System.Text.Json.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class JsonAttribute : Attribute
{
    /// <summary>
    /// Optional <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> type that knows the property's type.
    /// Set it for Native AOT; without it the value is serialized with the reflection-based resolver.
    /// </summary>
    public Type? Context { get; set; }
}

/// <summary>Stores a <c>float[]</c> or <c>ReadOnlyMemory&lt;float&gt;</c> property as a vector of fixed dimension.</summary>
/// <param name="dimensions">Number of dimensions, 1..16000.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class VectorAttribute(int dimensions) : Attribute
{
    /// <summary>Number of dimensions.</summary>
    public int Dimensions { get; } = dimensions;
}

/// <summary>Declares the assembly's module; the generator completes the <c>static partial class</c> with its ledger and runner.</summary>
/// <param name="id">The module id; it namespaces the module's rows in the migration ledger.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PrxyModuleAttribute(string id) : Attribute
{
    /// <summary>The module id.</summary>
    public string Id { get; } = id;
}

/// <summary>
/// Declares a forward-only migration on a <c>static partial class</c> holding <c>const string</c> members
/// <c>Postgres</c> and <c>Sqlite</c>, or one portable <c>Sql</c>.
/// </summary>
/// <param name="version">Positive, unique within the module.</param>
/// <param name="name">A short description, kept in the ledger.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class MigrationAttribute(long version, string name) : Attribute
{
    /// <summary>The migration's version.</summary>
    public long Version { get; } = version;

    /// <summary>The migration's name.</summary>
    public string Name { get; } = name;

    /// <summary>
    /// False for statements that cannot run in a transaction (<c>CREATE INDEX CONCURRENTLY</c>); the runner then
    /// records the migration as started before it runs and finished after.
    /// </summary>
    public bool Transactional { get; set; } = true;
}

/// <summary>
/// Marks a <c>partial record</c> as a projection of a table: each property must name a column of
/// <see cref="Table"/> with a compatible type (checked at compile time). Use it with <c>Select&lt;TProjection&gt;()</c>.
/// </summary>
/// <param name="table">The <c>[Table]</c> record this projection reads from.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ProjectionAttribute(Type table) : Attribute
{
    /// <summary>The <c>[Table]</c> record this projection reads from.</summary>
    public Type Table { get; } = table;
}
