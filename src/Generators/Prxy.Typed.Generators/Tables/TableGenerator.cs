using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Prxy.Typed.Generators.Diagnostics;

namespace Prxy.Typed.Generators.Tables
{
    /// <summary>
    /// Completes every [Table] record as ITable&lt;T&gt; with typed Columns, and every [Projection] record as
    /// IProjection&lt;P, T&gt;. Parsing is in <see cref="TableParser"/>, output in <see cref="TableEmitter"/>.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class TableGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps, for caching tests.</summary>
        public static class Steps
        {
            /// <summary>Parsed [Table] types.</summary>
            public const string Tables = "PrxyTables";
            /// <summary>Table names of every [Table] type, for the duplicate check.</summary>
            public const string TableNames = "PrxyTableNames";
            /// <summary>Parsed [Projection] types.</summary>
            public const string Projections = "PrxyProjections";
        }

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var tables = context.SyntaxProvider
                .ForAttributeWithMetadataName(TableParser.TableAttribute, TableParser.IsCandidate, TableParser.ParseTable)
                .WithTrackingName(Steps.Tables);

            var tableNames = tables
                .Select(static (table, _) => new TableName(table.TableName ?? "", table.TypeName, table.NameLocation))
                .Collect()
                .WithTrackingName(Steps.TableNames);

            var projections = context.SyntaxProvider
                .ForAttributeWithMetadataName(TableParser.ProjectionAttribute, TableParser.IsCandidate, TableParser.ParseProjection)
                .WithTrackingName(Steps.Projections);

            context.RegisterSourceOutput(tables, static (output, table) =>
            {
                Report(output, table.Diagnostics);
                if (table.Model is { } model)
                {
                    output.AddSource(model.Type.HintName, TableEmitter.EmitTable(model));
                }
            });

            context.RegisterSourceOutput(tableNames, static (output, names) => ReportDuplicateNames(output, names));

            context.RegisterSourceOutput(projections, static (output, projection) =>
            {
                Report(output, projection.Diagnostics);
                if (projection.Model is { } model)
                {
                    output.AddSource(model.Type.HintName, TableEmitter.EmitProjection(model));
                }
            });
        }

        private static void Report(SourceProductionContext output, IEnumerable<DiagnosticInfo> diagnostics)
        {
            foreach (var diagnostic in diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        }

        /// <summary>The first type (by full name, for determinism) keeps a table name; every later one gets PRXY0009.</summary>
        private static void ReportDuplicateNames(SourceProductionContext output, ImmutableArray<TableName> names)
        {
            foreach (var group in names.Where(n => n.Name.Length > 0).GroupBy(n => n.Name, StringComparer.Ordinal))
            {
                var ordered = group.OrderBy(n => n.TypeName, StringComparer.Ordinal).ToList();
                foreach (var duplicate in ordered.Skip(1))
                {
                    output.ReportDiagnostic(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateTableName, null, duplicate.Name, duplicate.TypeName, ordered[0].TypeName)
                        .WithLocation(duplicate.Location)
                        .ToDiagnostic());
                }
            }
        }

        private sealed record TableName(string Name, string TypeName, LocationInfo? Location);
    }
}
