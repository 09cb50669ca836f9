using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Prxy.Typed.Generators.Diagnostics
{
    /// <summary>
    /// Every diagnostic of the table generator (PRXY0001..PRXY0099). Messages name the type or member and say the fix;
    /// each id has a page in docs/diagnostics/ and a line in AnalyzerReleases.Shipped.md.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "Prxy.Typed";
        private const string HelpBase = "docs/diagnostics/";

        public static readonly DiagnosticDescriptor TypeNotPartial = Error(
            "PRXY0001",
            "Type must be partial",
            "'{0}' must be declared partial so the generator can implement {1}; add the 'partial' modifier");

        public static readonly DiagnosticDescriptor MissingPrimaryKey = Error(
            "PRXY0002",
            "Table has no primary key",
            "Table record '{0}' has no [PrimaryKey] property; mark the property (or properties) that identify a row with [PrimaryKey]");

        public static readonly DiagnosticDescriptor UnsupportedPropertyType = Error(
            "PRXY0003",
            "Unsupported property type",
            "Property '{0}' has type '{1}', which has no column mapping; use a supported type or store it as JSON with [Json]");

        public static readonly DiagnosticDescriptor InvalidTableName = Error(
            "PRXY0004",
            "Invalid table name",
            "Table name '{0}' of '{1}' is not a valid SQL identifier; use [A-Za-z_][A-Za-z0-9_]* of at most 63 bytes");

        public static readonly DiagnosticDescriptor InvalidColumnName = Error(
            "PRXY0005",
            "Invalid column name",
            "Column name '{0}' of property '{1}' is not a valid SQL identifier; use [A-Za-z_][A-Za-z0-9_]* of at most 63 bytes, with [Column(\"...\")] if needed");

        public static readonly DiagnosticDescriptor DuplicateColumn = Error(
            "PRXY0006",
            "Two properties map to one column",
            "Property '{0}' maps to column '{1}', which property '{2}' already uses; give one of them another name with [Column(\"...\")]");

        public static readonly DiagnosticDescriptor InvalidVectorDimensions = Error(
            "PRXY0007",
            "Vector dimensions out of range",
            "[Vector({1})] on property '{0}' is out of range; use a dimension count from 1 to 16000");

        public static readonly DiagnosticDescriptor VectorTypeNotSupported = Error(
            "PRXY0008",
            "[Vector] on a type that is not a float vector",
            "[Vector] on property '{0}' of type '{1}' is not supported; declare it as float[] or ReadOnlyMemory<float>");

        public static readonly DiagnosticDescriptor DuplicateTableName = Error(
            "PRXY0009",
            "Two [Table] types with one table name",
            "Table name '{0}' of '{1}' is already used by '{2}'; give each [Table] record its own name");

        public static readonly DiagnosticDescriptor ProjectionTargetNotTable = Error(
            "PRXY0010",
            "Projection target is not a [Table] record",
            "[Projection(typeof({1}))] on '{0}' names a type without [Table]; name a [Table] record");

        public static readonly DiagnosticDescriptor ProjectionUnknownColumn = Error(
            "PRXY0011",
            "Projected property has no column in the table",
            "Property '{0}' reads column '{1}', which table record '{2}' does not have; rename the property or use [Column(\"...\")] with one of its column names");

        public static readonly DiagnosticDescriptor ProjectionTypeMismatch = Error(
            "PRXY0012",
            "Projected property type does not match the column",
            "Property '{0}' has type '{1}' but column '{2}' of '{3}' holds '{4}'; declare the property as '{4}'");

        public static readonly DiagnosticDescriptor ProjectionNullability = Error(
            "PRXY0013",
            "Projected property cannot hold NULL",
            "Property '{0}' is not nullable but column '{1}' of '{2}' is; declare the property as '{3}'");

        public static readonly DiagnosticDescriptor GenericTypeNotSupported = Error(
            "PRXY0014",
            "Generic table or projection type",
            "'{0}' is generic; [Table] and [Projection] records cannot have type parameters, declare a non-generic record");

        public static readonly DiagnosticDescriptor NoUsableConstructor = Error(
            "PRXY0015",
            "No constructor the reader can call",
            "'{0}' has no parameterless constructor and no constructor whose parameters all name mapped properties; add one so rows can be read");

        public static readonly DiagnosticDescriptor InvalidJsonContext = Error(
            "PRXY0016",
            "[Json] Context is not a JsonSerializerContext",
            "[Json(Context = typeof({1}))] on property '{0}' does not name a JsonSerializerContext with a static Default instance; name a class deriving from JsonSerializerContext");

        public static readonly DiagnosticDescriptor InvalidPrimaryKey = Error(
            "PRXY0017",
            "Primary key column of an unsupported kind",
            "[PrimaryKey] property '{0}' is {1}; a key must be a non-nullable text, number, boolean, Guid, date, byte[] or enum property");

        public static readonly DiagnosticDescriptor ConflictingAttributes = Error(
            "PRXY0018",
            "[Json] and [Vector] on one property",
            "Property '{0}' has both [Json] and [Vector]; keep [Vector] for float vectors or [Json] for other values");

        public static readonly DiagnosticDescriptor JsonTypeNotInContext = Warning(
            "PRXY0019",
            "[Json] Context does not declare the property type",
            "'{1}' has no [JsonSerializable(typeof({2}))] for property '{0}'; add it so the value can be serialized without reflection");

        public static readonly DiagnosticDescriptor ReservedMemberName = Error(
            "PRXY0020",
            "Member name used by generated code",
            "'{0}' declares a member named '{1}', which the generator adds to [Table] and [Projection] records; rename it (keep the column name with [Column(\"...\")])");

        // Info, not warning: the untyped chain exists for tables without a record (created by migrations only).
        public static readonly DiagnosticDescriptor UnknownQueryTable = Info(
            "PRXY0030",
            "Untyped query names an unknown table",
            "No [Table] record of this compilation has table name '{0}'; check the name, or use the typed From<T>() of the record");

        public static readonly DiagnosticDescriptor UnknownQueryColumn = Warning(
            "PRXY0031",
            "Untyped query names an unknown column",
            "Table '{1}' ([Table] record '{2}') has no column '{0}'; use one of: {3}");

        private static readonly Dictionary<string, DiagnosticDescriptor> All = new[]
        {
            TypeNotPartial, MissingPrimaryKey, UnsupportedPropertyType, InvalidTableName, InvalidColumnName, DuplicateColumn,
            InvalidVectorDimensions, VectorTypeNotSupported, DuplicateTableName, ProjectionTargetNotTable, ProjectionUnknownColumn,
            ProjectionTypeMismatch, ProjectionNullability, GenericTypeNotSupported, NoUsableConstructor, InvalidJsonContext,
            InvalidPrimaryKey, ConflictingAttributes, JsonTypeNotInContext, ReservedMemberName, UnknownQueryTable, UnknownQueryColumn,
        }.ToDictionary(d => d.Id);

        public static DiagnosticDescriptor ById(string id) => All[id];

        public static IEnumerable<DiagnosticDescriptor> Descriptors => All.Values;

        private static DiagnosticDescriptor Error(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md");

        private static DiagnosticDescriptor Info(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md");

        private static DiagnosticDescriptor Warning(string id, string title, string message) =>
            new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md");
    }
}
