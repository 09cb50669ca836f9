using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Prxy.Typed.Generators.Common;

namespace Prxy.Typed.Generators.Modules
{
    /// <summary>A source location as plain data, so models stay value-equal and hold no syntax tree.</summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

        public static LocationInfo? From(Location? location) =>
            location is null || location.SourceTree is null
                ? null
                : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

        public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());
    }

    /// <summary>A diagnostic to report, as value-equal data.</summary>
    internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            new(descriptor, location, arguments.ToEquatableArray());

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(Descriptor, Location?.ToLocation(), Arguments.Cast<object>().ToArray());
    }

    /// <summary>A <c>[PrxyModule]</c> class.</summary>
    internal sealed record ModuleSpec(
        string? Namespace,
        string ClassName,
        string FullName,
        string Id,
        string Accessibility,
        LocationInfo? Location,
        EquatableArray<DiagnosticInfo> Diagnostics)
    {
        public bool IsValid => Diagnostics.Count == 0;
    }

    /// <summary>A <c>[Migration]</c> class. <see cref="Postgres"/> and <see cref="Sqlite"/> are null when invalid.</summary>
    internal sealed record MigrationSpec(
        string FullName,
        long Version,
        string Name,
        bool Transactional,
        string? Postgres,
        string? Sqlite,
        LocationInfo? Location,
        LocationInfo? VersionLocation,
        EquatableArray<DiagnosticInfo> Diagnostics)
    {
        public bool HasSql => Postgres is not null && Sqlite is not null;

        public string? SqlFor(bool postgres) => postgres ? Postgres : Sqlite;
    }

    /// <summary>A property of a <c>[Table]</c> record, as far as the schema check needs it.</summary>
    internal sealed record RecordColumn(
        string PropertyName,
        string ColumnName,
        ColumnKind Kind,
        string ClrType,
        bool IsNullable,
        bool IsPrimaryKey,
        int VectorDimensions,
        LocationInfo? Location);

    /// <summary>A <c>[Table]</c> record, as far as the schema check needs it.</summary>
    internal sealed record RecordTable(
        string RecordName,
        string TableName,
        EquatableArray<RecordColumn> Columns,
        LocationInfo? Location);

    /// <summary>The module's generated source (or none) and the diagnostics about the module and its migrations.</summary>
    internal sealed record ModuleOutput(string? HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);

    internal static class ModuleModelExtensions
    {
        public static EquatableArray<T> Append<T>(this EquatableArray<T> items, T item)
            where T : IEquatable<T> => items.Concat(new[] { item }).ToEquatableArray();
    }
}
