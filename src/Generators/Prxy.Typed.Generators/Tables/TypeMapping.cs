using System.Linq;
using Microsoft.CodeAnalysis;
using Prxy.Typed.Generators.Common;

namespace Prxy.Typed.Generators.Tables
{
    /// <summary>Which CLR types map to which column kind; docs/type-mapping.md documents the same table.</summary>
    internal static class TypeMapping
    {
        public const string JsonSerializerContext = "System.Text.Json.Serialization.JsonSerializerContext";
        public const string JsonSerializableAttribute = "System.Text.Json.Serialization.JsonSerializableAttribute";

        /// <summary>The kind of a non-nullable type without [Json] or [Vector]; null when it has no mapping.</summary>
        public static ColumnKind? KindOf(ITypeSymbol type)
        {
            switch (type.SpecialType)
            {
                case SpecialType.System_String: return ColumnKind.String;
                case SpecialType.System_Boolean: return ColumnKind.Boolean;
                case SpecialType.System_Int16: return ColumnKind.Int16;
                case SpecialType.System_Int32: return ColumnKind.Int32;
                case SpecialType.System_Int64: return ColumnKind.Int64;
                case SpecialType.System_Single: return ColumnKind.Single;
                case SpecialType.System_Double: return ColumnKind.Double;
                case SpecialType.System_Decimal: return ColumnKind.Decimal;
                case SpecialType.System_DateTime: return ColumnKind.DateTime;
            }

            if (type.TypeKind == TypeKind.Enum)
            {
                return ColumnKind.Enum;
            }

            if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte })
            {
                return ColumnKind.Bytes;
            }

            if (IsSystemType(type, "Guid"))
            {
                return ColumnKind.Guid;
            }

            if (IsSystemType(type, "DateTimeOffset"))
            {
                return ColumnKind.DateTimeOffset;
            }

            return null;
        }

        /// <summary>float[] → false, ReadOnlyMemory&lt;float&gt; → true, anything else → null.</summary>
        public static bool? VectorShape(ITypeSymbol type)
        {
            if (type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Single })
            {
                return false;
            }

            if (type is INamedTypeSymbol { Name: "ReadOnlyMemory", TypeArguments.Length: 1 } named
                && named.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }
                && named.TypeArguments[0].SpecialType == SpecialType.System_Single)
            {
                return true;
            }

            return null;
        }

        /// <summary>The reader/writer kind used for an enum's underlying type, and that type's keyword.</summary>
        public static (ColumnKind Storage, string Keyword) EnumStorage(INamedTypeSymbol enumType)
        {
            var underlying = enumType.EnumUnderlyingType?.SpecialType ?? SpecialType.System_Int32;
            return underlying switch
            {
                SpecialType.System_Int16 => (ColumnKind.Int16, "short"),
                SpecialType.System_Int64 => (ColumnKind.Int64, "long"),
                SpecialType.System_UInt32 => (ColumnKind.Int64, "long"),
                SpecialType.System_UInt64 => (ColumnKind.Int64, "long"),
                _ => (ColumnKind.Int32, "int"),
            };
        }

        /// <summary>True when <paramref name="type"/> derives from System.Text.Json's JsonSerializerContext.</summary>
        public static bool IsJsonContext(ITypeSymbol type)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (current.ToDisplayString() == JsonSerializerContext)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when the context declares [JsonSerializable(typeof(T))] for <paramref name="valueType"/>.</summary>
        public static bool ContextDeclares(ITypeSymbol context, ITypeSymbol valueType) =>
            context.GetAttributes().Any(a =>
                a.AttributeClass?.ToDisplayString() == JsonSerializableAttribute
                && a.ConstructorArguments.Length > 0
                && a.ConstructorArguments[0].Value is ITypeSymbol declared
                && SymbolEqualityComparer.Default.Equals(declared, valueType));

        private static bool IsSystemType(ITypeSymbol type, string name) =>
            type is INamedTypeSymbol { Arity: 0 } named
            && named.Name == name
            && named.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };
    }
}
