using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Prxy.Typed.Generators.Common;
using Prxy.Typed.Generators.Diagnostics;

namespace Prxy.Typed.Generators.Tables
{
    /// <summary>Reads [Table] and [Projection] types into the model; the only place that looks at symbols.</summary>
    internal static class TableParser
    {
        public const string TableAttribute = "Prxy.Typed.TableAttribute";
        public const string ProjectionAttribute = "Prxy.Typed.ProjectionAttribute";
        private const string ColumnAttribute = "Prxy.Typed.ColumnAttribute";
        private const string PrimaryKeyAttribute = "Prxy.Typed.PrimaryKeyAttribute";
        private const string JsonAttribute = "Prxy.Typed.JsonAttribute";
        private const string VectorAttribute = "Prxy.Typed.VectorAttribute";
        private const int MaxVectorDimensions = 16000;

        /// <summary>Names the emitter adds to the type; a user member with one of them would not compile.</summary>
        private static readonly HashSet<string> ReservedTableMembers = new(StringComparer.Ordinal) { "Table", "ReadColumns", "Read", "Write", "Columns", "PrxyMetadata" };

        private static readonly HashSet<string> ReservedProjectionMembers = new(StringComparer.Ordinal) { "ReadColumns", "Read", "PrxyMetadata" };

        /// <summary>Type names with nested nullable annotations kept (the top level is stripped before formatting).</summary>
        private static readonly SymbolDisplayFormat TypeFormat =
            SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>Both class and record declarations can carry [Table]; the attribute allows classes only.</summary>
        public static bool IsCandidate(SyntaxNode node, CancellationToken _) => node is ClassDeclarationSyntax or RecordDeclarationSyntax;

        public static TableResult ParseTable(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            var diagnostics = new List<DiagnosticInfo>();
            var typeName = type.ToDisplayString();

            var attribute = context.Attributes[0];
            var tableName = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
            var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var nameLocation = attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation()
                ?? attributeSyntax?.GetLocation()
                ?? syntax.Identifier.GetLocation();

            var declaration = ParseDeclaration(type, syntax, "ITable<" + type.Name + ">", diagnostics);
            if (!SqlNames.IsValidIdentifier(tableName))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidTableName, nameLocation, tableName ?? "", typeName));
            }

            var properties = MappedProperties(type);
            var columns = new List<ColumnModel>();
            var byName = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in properties)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var column = ParseColumn(property, columns.Count, diagnostics);
                if (column is null)
                {
                    continue;
                }

                if (byName.TryGetValue(column.ColumnName, out var other))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateColumn, property.Locations.FirstOrDefault(), Qualified(property), column.ColumnName, other));
                    continue;
                }

                byName.Add(column.ColumnName, Qualified(property));
                columns.Add(column);
            }

            if (!properties.Any(p => HasAttribute(p, PrimaryKeyAttribute)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingPrimaryKey, syntax.Identifier.GetLocation(), typeName));
            }

            var constructorArguments = ChooseConstructor(type, properties, syntax, diagnostics);
            var hasErrors = declaration is null || diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error);
            TableModel? model = null;
            if (!hasErrors)
            {
                model = new TableModel(
                    declaration!,
                    tableName!,
                    MarkConstructorArguments(columns, constructorArguments).ToEquatableArray(),
                    constructorArguments.ToEquatableArray());
            }

            return new TableResult(
                model,
                tableName,
                typeName,
                LocationInfo.From(nameLocation),
                diagnostics.ToEquatableArray());
        }

        public static ProjectionResult ParseProjection(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var type = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (TypeDeclarationSyntax)context.TargetNode;
            var diagnostics = new List<DiagnosticInfo>();
            var typeName = type.ToDisplayString();
            var attribute = context.Attributes[0];
            var table = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as INamedTypeSymbol : null;
            var tableDisplay = table?.ToDisplayString() ?? "?";

            var declaration = ParseDeclaration(type, syntax, "IProjection<" + type.Name + ", " + (table?.Name ?? "?") + ">", diagnostics);
            var tableAttribute = table?.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == TableAttribute);
            if (table is null || tableAttribute is null)
            {
                var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProjectionTargetNotTable, attributeSyntax?.GetLocation() ?? syntax.Identifier.GetLocation(), typeName, tableDisplay));
                return new ProjectionResult(null, diagnostics.ToEquatableArray());
            }

            // The table's own problems are reported by its [Table] step; here they only stop emission.
            var tableDiagnostics = new List<DiagnosticInfo>();
            var tableColumns = new List<ColumnModel>();
            foreach (var property in MappedProperties(table))
            {
                var column = ParseColumn(property, tableColumns.Count, tableDiagnostics);
                if (column is not null)
                {
                    tableColumns.Add(column);
                }
            }

            var tableBroken = tableDiagnostics.Count > 0;
            var properties = MappedProperties(type);
            var columns = new List<ColumnModel>();
            var tableOrdinals = new List<int>();
            foreach (var property in properties)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var location = property.Locations.FirstOrDefault();
                var columnName = ColumnName(property);
                var tableColumn = tableColumns.FirstOrDefault(c => c.ColumnName == columnName);
                if (tableColumn is null)
                {
                    if (!tableBroken)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProjectionUnknownColumn, location, Qualified(property), columnName, tableDisplay));
                    }

                    continue;
                }

                var (valueType, isNullable, isNullableValueType) = Unwrap(property.Type);
                var typeOfName = valueType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                if (typeOfName != tableColumn.TypeOfName)
                {
                    var tableProperty = table.GetMembers(tableColumn.PropertyName).OfType<IPropertySymbol>().FirstOrDefault();
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.ProjectionTypeMismatch,
                        location,
                        Qualified(property),
                        property.Type.ToDisplayString(),
                        tableColumn.ColumnName,
                        tableDisplay,
                        tableProperty?.Type.ToDisplayString() ?? tableColumn.TypeName));
                    continue;
                }

                if (tableColumn.IsNullable && !isNullable)
                {
                    var nullableType = property.Type.IsValueType
                        ? property.Type.ToDisplayString() + "?"
                        : property.Type.WithNullableAnnotation(NullableAnnotation.Annotated).ToDisplayString();
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ProjectionNullability, location, Qualified(property), tableColumn.ColumnName, tableDisplay, nullableType));
                    continue;
                }

                columns.Add(tableColumn with
                {
                    PropertyName = property.Name,
                    Ordinal = columns.Count,
                    TypeName = valueType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat),
                    IsNullable = isNullable,
                    IsNullableValueType = isNullableValueType,
                    IsPrimaryKey = false,
                });
                tableOrdinals.Add(tableColumn.Ordinal);
            }

            var constructorArguments = ChooseConstructor(type, properties, syntax, diagnostics);
            if (declaration is null || tableBroken || diagnostics.Any(d => DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error))
            {
                return new ProjectionResult(null, diagnostics.ToEquatableArray());
            }

            var model = new ProjectionModel(
                declaration,
                table.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                MarkConstructorArguments(columns, constructorArguments).ToEquatableArray(),
                tableOrdinals.ToEquatableArray(),
                constructorArguments.ToEquatableArray());
            return new ProjectionResult(model, diagnostics.ToEquatableArray());
        }

        /// <summary>The partial declaration to emit, or null (with a diagnostic) when the type cannot be completed.</summary>
        private static TypeDeclaration? ParseDeclaration(INamedTypeSymbol type, TypeDeclarationSyntax syntax, string implements, List<DiagnosticInfo> diagnostics)
        {
            var ok = true;
            if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, syntax.Identifier.GetLocation(), type.ToDisplayString(), implements));
                ok = false;
            }

            if (type.IsGenericType || ContainingTypes(type).Any(t => t.IsGenericType))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericTypeNotSupported, syntax.Identifier.GetLocation(), type.ToDisplayString()));
                ok = false;
            }

            var containing = new List<ContainingType>();
            foreach (var outer in ContainingTypes(type))
            {
                var outerSyntax = outer.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().ToList();
                if (!outerSyntax.Any(s => s.Modifiers.Any(SyntaxKind.PartialKeyword)))
                {
                    var location = outerSyntax.FirstOrDefault()?.Identifier.GetLocation() ?? outer.Locations.FirstOrDefault();
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TypeNotPartial, location, outer.ToDisplayString(), "the nested " + implements));
                    ok = false;
                }

                containing.Add(new ContainingType(Keyword(outer), outer.Name));
            }

            var reserved = implements.StartsWith("ITable", StringComparison.Ordinal) ? ReservedTableMembers : ReservedProjectionMembers;
            foreach (var member in type.GetMembers().Where(m => !m.IsImplicitlyDeclared && reserved.Contains(m.Name)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedMemberName, member.Locations.FirstOrDefault(), type.ToDisplayString(), member.Name));
                ok = false;
            }

            if (!ok)
            {
                return null;
            }

            var ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString();
            var fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            var hintName = fullName.Substring("global::".Length) + ".g.cs";
            return new TypeDeclaration(ns, Keyword(type), type.Name, fullName, hintName, containing.ToEquatableArray());
        }

        private static IEnumerable<INamedTypeSymbol> ContainingTypes(INamedTypeSymbol type)
        {
            var chain = new List<INamedTypeSymbol>();
            for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                chain.Insert(0, outer);
            }

            return chain;
        }

        private static string Keyword(INamedTypeSymbol type) => type switch
        {
            { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
            { IsRecord: true } => "record",
            { TypeKind: TypeKind.Struct } => "struct",
            { TypeKind: TypeKind.Interface } => "interface",
            _ => "class",
        };

        /// <summary>
        /// Public instance properties that can be read and assigned by the reader: settable (set/init) or auto-properties
        /// a constructor fills. Base types first, declaration order within a type; computed properties are not columns.
        /// </summary>
        private static List<IPropertySymbol> MappedProperties(INamedTypeSymbol type)
        {
            var levels = new List<INamedTypeSymbol>();
            for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                levels.Insert(0, current);
            }

            var result = new List<IPropertySymbol>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var level in levels)
            {
                var backed = new HashSet<ISymbol>(
                    level.GetMembers().OfType<IFieldSymbol>().Where(f => f.AssociatedSymbol is not null).Select(f => f.AssociatedSymbol!),
                    SymbolEqualityComparer.Default);
                foreach (var property in level.GetMembers().OfType<IPropertySymbol>())
                {
                    if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public
                        || property.GetMethod is null || property.IsImplicitlyDeclared && property.Name == "EqualityContract")
                    {
                        continue;
                    }

                    if (property.SetMethod is null && !backed.Contains(property))
                    {
                        continue;
                    }

                    if (seen.Add(property.Name))
                    {
                        result.Add(property);
                    }
                }
            }

            return result;
        }

        /// <summary>The column names of a [Table] type in declaration order, for the untyped-query analyzer.</summary>
        public static List<string> ColumnNames(INamedTypeSymbol type) => MappedProperties(type).Select(ColumnName).ToList();

        private static ColumnModel? ParseColumn(IPropertySymbol property, int ordinal, List<DiagnosticInfo> diagnostics)
        {
            var location = property.Locations.FirstOrDefault();
            var name = Qualified(property);
            var columnName = ColumnName(property);
            var ok = true;
            if (!SqlNames.IsValidIdentifier(columnName))
            {
                var columnAttribute = Attribute(property, ColumnAttribute);
                var columnLocation = columnAttribute?.ApplicationSyntaxReference?.GetSyntax() is AttributeSyntax a && a.ArgumentList?.Arguments.Count > 0
                    ? a.ArgumentList.Arguments[0].GetLocation()
                    : location;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidColumnName, columnLocation, columnName, name));
                ok = false;
            }

            var (valueType, isNullable, isNullableValueType) = Unwrap(property.Type);
            var json = Attribute(property, JsonAttribute);
            var vector = Attribute(property, VectorAttribute);
            var isPrimaryKey = HasAttribute(property, PrimaryKeyAttribute);
            ColumnKind kind;
            var dimensions = 0;
            var isMemory = false;
            string? jsonContext = null;
            if (json is not null && vector is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConflictingAttributes, location, name));
                return null;
            }

            if (vector is not null)
            {
                kind = ColumnKind.Vector;
                dimensions = vector.ConstructorArguments.Length == 1 && vector.ConstructorArguments[0].Value is int d ? d : 0;
                var shape = TypeMapping.VectorShape(valueType);
                if (shape is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.VectorTypeNotSupported, location, name, property.Type.ToDisplayString()));
                    ok = false;
                }

                isMemory = shape == true;
                if (dimensions < 1 || dimensions > MaxVectorDimensions)
                {
                    var vectorLocation = vector.ApplicationSyntaxReference?.GetSyntax()?.GetLocation() ?? location;
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidVectorDimensions, vectorLocation, name, dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    ok = false;
                }
            }
            else if (json is not null)
            {
                kind = ColumnKind.Json;
                var contextArgument = json.NamedArguments.FirstOrDefault(a => a.Key == "Context").Value;
                if (contextArgument.Value is ITypeSymbol context)
                {
                    if (!TypeMapping.IsJsonContext(context))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidJsonContext, location, name, context.ToDisplayString()));
                        ok = false;
                    }
                    else if (!TypeMapping.ContextDeclares(context, valueType))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.JsonTypeNotInContext, location, name, context.ToDisplayString(), valueType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString()));
                    }

                    jsonContext = context.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                }
            }
            else if (TypeMapping.KindOf(valueType) is { } mapped)
            {
                kind = mapped;
            }
            else
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedPropertyType, location, name, property.Type.ToDisplayString()));
                return null;
            }

            if (isPrimaryKey && (isNullable || kind is ColumnKind.Json or ColumnKind.Vector))
            {
                var what = isNullable ? "nullable" : kind == ColumnKind.Json ? "a [Json] value" : "a [Vector] value";
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidPrimaryKey, location, name, what));
                ok = false;
            }

            if (!ok)
            {
                return null;
            }

            var enumStorage = ColumnKind.Int32;
            string? enumKeyword = null;
            if (kind == ColumnKind.Enum)
            {
                (enumStorage, enumKeyword) = TypeMapping.EnumStorage((INamedTypeSymbol)valueType);
            }

            return new ColumnModel(
                property.Name,
                columnName,
                ordinal,
                kind,
                valueType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(TypeFormat),
                valueType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                isNullable,
                isNullableValueType,
                isPrimaryKey,
                dimensions,
                isMemory,
                enumStorage,
                enumKeyword,
                jsonContext,
                SetByConstructor: false);
        }

        /// <summary>Strips Nullable&lt;T&gt; and the top-level annotation; oblivious reference types count as nullable.</summary>
        private static (ITypeSymbol ValueType, bool IsNullable, bool IsNullableValueType) Unwrap(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                return (nullable.TypeArguments[0], true, true);
            }

            if (type.IsReferenceType)
            {
                return (type, type.NullableAnnotation != NullableAnnotation.NotAnnotated, false);
            }

            return (type, false, false);
        }

        /// <summary>
        /// Empty when the reader can use a parameterless constructor; otherwise the property names a constructor takes,
        /// in parameter order. Reports PRXY0015 when neither works.
        /// </summary>
        private static List<string> ChooseConstructor(INamedTypeSymbol type, List<IPropertySymbol> properties, TypeDeclarationSyntax syntax, List<DiagnosticInfo> diagnostics)
        {
            var settable = properties.Where(p => p.SetMethod is not null).Select(p => p.Name).ToList();
            var getOnly = properties.Where(p => p.SetMethod is null).Select(p => p.Name).ToList();
            var constructors = type.InstanceConstructors
                .Where(c => !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)))
                .OrderByDescending(c => c.Parameters.Length)
                .ToList();
            if (getOnly.Count == 0 && constructors.Any(c => c.Parameters.Length == 0))
            {
                return new List<string>();
            }

            foreach (var constructor in constructors)
            {
                var names = new List<string>();
                foreach (var parameter in constructor.Parameters)
                {
                    var property = properties.FirstOrDefault(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)
                        && SymbolEqualityComparer.Default.Equals(p.Type, parameter.Type));
                    if (property is null)
                    {
                        names = null;
                        break;
                    }

                    names.Add(property.Name);
                }

                if (names is not null && getOnly.All(names.Contains) && (names.Count > 0 || getOnly.Count == 0))
                {
                    return names;
                }
            }

            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoUsableConstructor, syntax.Identifier.GetLocation(), type.ToDisplayString()));
            return new List<string>();
        }

        private static IEnumerable<ColumnModel> MarkConstructorArguments(List<ColumnModel> columns, List<string> constructorArguments) =>
            columns.Select(c => constructorArguments.Contains(c.PropertyName) ? c with { SetByConstructor = true } : c);

        private static string ColumnName(IPropertySymbol property)
        {
            var attribute = Attribute(property, ColumnAttribute);
            if (attribute is { ConstructorArguments.Length: 1 } && attribute.ConstructorArguments[0].Value is string name)
            {
                return name;
            }

            return SqlNames.ToSnakeCase(property.Name);
        }

        private static string Qualified(IPropertySymbol property) => property.ContainingType.Name + "." + property.Name;

        private static AttributeData? Attribute(ISymbol symbol, string metadataName) =>
            symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName);

        private static bool HasAttribute(ISymbol symbol, string metadataName) => Attribute(symbol, metadataName) is not null;
    }
}
