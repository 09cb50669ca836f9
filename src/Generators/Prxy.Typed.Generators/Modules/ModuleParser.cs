using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Prxy.Typed.Generators.Common;
using Prxy.Typed.Generators.Tables;

namespace Prxy.Typed.Generators.Modules
{
    /// <summary>Reads <c>[PrxyModule]</c>, <c>[Migration]</c> and <c>[Table]</c> declarations into plain models.</summary>
    internal static class ModuleParser
    {
        private static readonly SymbolDisplayFormat NameFormat = SymbolDisplayFormat.CSharpErrorMessageFormat;

        public static ModuleSpec ParseModule(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (ClassDeclarationSyntax)context.TargetNode;
            var location = LocationInfo.From(syntax.Identifier.GetLocation());
            var id = context.Attributes[0].ConstructorArguments.FirstOrDefault().Value as string ?? string.Empty;
            var diagnostics = new List<DiagnosticInfo>();
            if (!symbol.IsStatic || !IsPartial(syntax) || symbol.ContainingType is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.ModuleNotStaticPartial, location, symbol.ToDisplayString(NameFormat), symbol.Name));
            }

            if (string.IsNullOrWhiteSpace(id))
            {
                diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.InvalidModuleId, location, symbol.ToDisplayString(NameFormat), SuggestId(symbol.Name)));
            }

            var ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
            return new ModuleSpec(
                ns,
                symbol.Name,
                symbol.ToDisplayString(NameFormat),
                id,
                symbol.DeclaredAccessibility == Accessibility.Public ? "public" : "internal",
                location,
                diagnostics.ToEquatableArray());
        }

        public static MigrationSpec ParseMigration(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var syntax = (ClassDeclarationSyntax)context.TargetNode;
            var attribute = context.Attributes[0];
            var fullName = symbol.ToDisplayString(NameFormat);
            var location = LocationInfo.From(syntax.Identifier.GetLocation());
            var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var versionLocation = LocationInfo.From(attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault()) ?? location;

            var version = attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is { } v ? System.Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : 0L;
            var name = attribute.ConstructorArguments.Length > 1 ? attribute.ConstructorArguments[1].Value as string ?? string.Empty : string.Empty;
            var transactional = true;
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Transactional" && named.Value.Value is bool b)
                {
                    transactional = b;
                }
            }

            var diagnostics = new List<DiagnosticInfo>();
            if (!symbol.IsStatic || !IsPartial(syntax))
            {
                diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.MigrationNotStaticPartial, location, fullName, symbol.Name));
            }

            if (version <= 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.NonPositiveMigrationVersion, versionLocation, fullName, version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            var sql = ReadText(symbol, "Sql", fullName, diagnostics, out var hasSql);
            var postgres = ReadText(symbol, "Postgres", fullName, diagnostics, out var hasPostgres);
            var sqlite = ReadText(symbol, "Sqlite", fullName, diagnostics, out var hasSqlite);
            if (hasSql && (hasPostgres || hasSqlite))
            {
                diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.AmbiguousMigrationSql, location, fullName, hasPostgres ? "Postgres" : "Sqlite"));
                postgres = sqlite = null;
            }
            else if (hasSql)
            {
                postgres = sqlite = sql;
            }
            else if (!hasPostgres || !hasSqlite)
            {
                if (!hasPostgres)
                {
                    diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.MissingMigrationSql, location, fullName, "Postgres"));
                }

                if (!hasSqlite)
                {
                    diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.MissingMigrationSql, location, fullName, "Sqlite"));
                }

                postgres = sqlite = null;
            }

            return new MigrationSpec(fullName, version, name, transactional, postgres, sqlite, location, versionLocation, diagnostics.ToEquatableArray());
        }

        /// <summary>The member's constant text; null (and a diagnostic) when it is empty.</summary>
        private static string? ReadText(INamedTypeSymbol symbol, string member, string fullName, List<DiagnosticInfo> diagnostics, out bool declared)
        {
            var field = symbol.GetMembers(member).OfType<IFieldSymbol>().FirstOrDefault(f => f.IsConst && f.Type.SpecialType == SpecialType.System_String);
            declared = field is not null;
            if (field is null)
            {
                return null;
            }

            var text = field.ConstantValue as string;
            if (string.IsNullOrWhiteSpace(text) || SqlOnlyComments(text!))
            {
                diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.EmptyMigrationSql, LocationInfo.From(field.Locations.FirstOrDefault()), fullName, member));
                return null;
            }

            return text;
        }

        private static bool SqlOnlyComments(string text) => Prxy.Typed.Migrations.SqlScript.Split(text).Count == 0;

        public static RecordTable? ParseTable(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol symbol)
            {
                return null;
            }

            var tableName = context.Attributes[0].ConstructorArguments.FirstOrDefault().Value as string;
            if (string.IsNullOrEmpty(tableName))
            {
                return null;
            }

            var columns = new List<RecordColumn>();
            foreach (var property in symbol.GetMembers().OfType<IPropertySymbol>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public || property.GetMethod is null || property.IsImplicitlyDeclared)
                {
                    continue;
                }

                var column = ParseColumn(property);
                if (column is not null)
                {
                    columns.Add(column);
                }
            }

            return new RecordTable(symbol.Name, tableName!, columns.ToEquatableArray(), LocationInfo.From(symbol.Locations.FirstOrDefault()));
        }

        private static RecordColumn? ParseColumn(IPropertySymbol property)
        {
            string? columnName = null;
            bool json = false, primaryKey = false;
            var dimensions = 0;
            foreach (var attribute in property.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case "Prxy.Typed.ColumnAttribute":
                        columnName = attribute.ConstructorArguments.FirstOrDefault().Value as string;
                        break;
                    case "Prxy.Typed.JsonAttribute":
                        json = true;
                        break;
                    case "Prxy.Typed.PrimaryKeyAttribute":
                        primaryKey = true;
                        break;
                    case "Prxy.Typed.VectorAttribute":
                        dimensions = attribute.ConstructorArguments.FirstOrDefault().Value is int d ? d : 0;
                        break;
                }
            }

            var type = property.Type;
            var nullable = type.NullableAnnotation == NullableAnnotation.Annotated;
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapper)
            {
                type = wrapper.TypeArguments[0];
                nullable = true;
            }

            ColumnKind? kind = json ? ColumnKind.Json : dimensions > 0 ? ColumnKind.Vector : TypeMapping.KindOf(type);
            if (kind is null)
            {
                return null; // Unsupported types are the table generator's diagnostics.
            }

            return new RecordColumn(
                property.Name,
                string.IsNullOrEmpty(columnName) ? SqlNames.ToSnakeCase(property.Name) : columnName!,
                kind.Value,
                property.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier)),
                nullable,
                primaryKey,
                dimensions,
                LocationInfo.From(property.Locations.FirstOrDefault()));
        }

        private static bool IsPartial(ClassDeclarationSyntax syntax) => syntax.Modifiers.Any(SyntaxKind.PartialKeyword);

        private static string SuggestId(string className)
        {
            var trimmed = className.EndsWith("Module", System.StringComparison.Ordinal) && className.Length > 6 ? className.Substring(0, className.Length - 6) : className;
            return SqlNames.ToSnakeCase(trimmed);
        }
    }
}
