using Prxy.Typed.Generators.Common;
using Prxy.Typed.Generators.Diagnostics;

namespace Prxy.Typed.Generators.Tables
{
    // The model is plain, immutable, value-equal data: no symbols, syntax or compilation, type names as
    // global::-qualified strings, collections as EquatableArray. Pipeline steps cache on it.

    /// <summary>A type that contains the generated type (nested declarations), outermost first.</summary>
    /// <param name="Keyword">"class", "record", "struct", "record struct" or "interface".</param>
    /// <param name="Name">The name with type parameters, e.g. "Outer" or "Outer&lt;T&gt;".</param>
    internal sealed record ContainingType(string Keyword, string Name);

    /// <summary>Where the generated partial declaration goes and what it looks like.</summary>
    /// <param name="Namespace">The namespace, or empty for the global namespace.</param>
    /// <param name="Keyword">"record" or "class".</param>
    /// <param name="Name">The type's simple name.</param>
    /// <param name="FullName">global::-qualified name.</param>
    /// <param name="HintName">File name of the generated source.</param>
    /// <param name="Containing">Containing types, outermost first.</param>
    internal sealed record TypeDeclaration(
        string Namespace,
        string Keyword,
        string Name,
        string FullName,
        string HintName,
        EquatableArray<ContainingType> Containing);

    /// <summary>One mapped property.</summary>
    /// <param name="PropertyName">C# property name.</param>
    /// <param name="ColumnName">SQL column name.</param>
    /// <param name="Ordinal">Index in the table's columns.</param>
    /// <param name="Kind">Storage kind.</param>
    /// <param name="TypeName">The property type without top-level nullability (nested annotations kept), global::-qualified.</param>
    /// <param name="TypeOfName">The same type as it can appear in typeof(...).</param>
    /// <param name="IsNullable">Whether the property accepts null.</param>
    /// <param name="IsNullableValueType">True for Nullable&lt;T&gt; properties.</param>
    /// <param name="IsPrimaryKey">Part of the primary key.</param>
    /// <param name="VectorDimensions">Dimensions of a vector column; 0 otherwise.</param>
    /// <param name="IsMemoryVector">True when a vector property is ReadOnlyMemory&lt;float&gt; rather than float[].</param>
    /// <param name="EnumStorage">For enums: the storage kind of the underlying type (Int16, Int32 or Int64).</param>
    /// <param name="EnumUnderlyingTypeName">For enums: the C# keyword of the underlying type.</param>
    /// <param name="JsonContextName">For [Json] with a Context: the context's global::-qualified name.</param>
    /// <param name="SetByConstructor">The reader passes it as a constructor argument rather than in the initializer.</param>
    internal sealed record ColumnModel(
        string PropertyName,
        string ColumnName,
        int Ordinal,
        ColumnKind Kind,
        string TypeName,
        string TypeOfName,
        bool IsNullable,
        bool IsNullableValueType,
        bool IsPrimaryKey,
        int VectorDimensions,
        bool IsMemoryVector,
        ColumnKind EnumStorage,
        string? EnumUnderlyingTypeName,
        string? JsonContextName,
        bool SetByConstructor);

    /// <summary>A [Table] record ready to emit.</summary>
    /// <param name="Type">Its declaration.</param>
    /// <param name="TableName">SQL table name.</param>
    /// <param name="Columns">Mapped properties in declaration order.</param>
    /// <param name="ConstructorArguments">Property names passed to the constructor, in parameter order (empty: parameterless).</param>
    internal sealed record TableModel(
        TypeDeclaration Type,
        string TableName,
        EquatableArray<ColumnModel> Columns,
        EquatableArray<string> ConstructorArguments);

    /// <summary>A [Projection(typeof(T))] record ready to emit.</summary>
    /// <param name="Type">Its declaration.</param>
    /// <param name="TableFullName">global::-qualified name of the table record.</param>
    /// <param name="Columns">The projected properties; Ordinal is the column's ordinal in the table, read position is the index here.</param>
    /// <param name="TableOrdinals">For each projected property, the ordinal of its column in the table.</param>
    /// <param name="ConstructorArguments">Property names passed to the constructor, in parameter order (empty: parameterless).</param>
    internal sealed record ProjectionModel(
        TypeDeclaration Type,
        string TableFullName,
        EquatableArray<ColumnModel> Columns,
        EquatableArray<int> TableOrdinals,
        EquatableArray<string> ConstructorArguments);

    /// <summary>The outcome of parsing one [Table] type: the model (null when it cannot be emitted) and its diagnostics.</summary>
    internal sealed record TableResult(TableModel? Model, string? TableName, string TypeName, LocationInfo? NameLocation, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>The outcome of parsing one [Projection] type.</summary>
    internal sealed record ProjectionResult(ProjectionModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
}
