using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Prxy.Typed.Generators.Diagnostics;
using Prxy.Typed.Generators.Tables;

namespace Prxy.Typed.Generators.Queries
{
    /// <summary>
    /// Checks string literals of the untyped query chain (<c>db.From("t").Eq("c", v)</c>) against the [Table] records of
    /// the compilation: an unknown table name (PRXY0030) or, when the table name is a literal too, an unknown column (PRXY0031).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class UntypedQueryAnalyzer : DiagnosticAnalyzer
    {
        private const string Namespace = "Prxy.Typed";

        /// <summary>RowQuery methods whose first argument names a column (Select: a comma-separated list).</summary>
        private static readonly HashSet<string> ColumnMethods = new(StringComparer.Ordinal)
        {
            "Select", "Eq", "Neq", "Gt", "Gte", "Lt", "Lte", "Like", "ILike", "In", "IsNull", "IsNotNull", "Order",
        };

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
            ImmutableArray.Create(DiagnosticDescriptors.UnknownQueryTable, DiagnosticDescriptors.UnknownQueryColumn);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var tableAttribute = start.Compilation.GetTypeByMetadataName(TableParser.TableAttribute);
                if (tableAttribute is null)
                {
                    return;
                }

                // Built on first use: most compilations never call the untyped chain.
                var tables = new Lazy<Dictionary<string, TableColumns>>(
                    () => CollectTables(start.Compilation, tableAttribute, start.CancellationToken),
                    LazyThreadSafetyMode.ExecutionAndPublication);
                start.RegisterOperationAction(operation => AnalyzeInvocation(operation, tables), OperationKind.Invocation);
            });
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context, Lazy<Dictionary<string, TableColumns>> tables)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (method.ContainingNamespace?.ToDisplayString() != Namespace)
            {
                return;
            }

            if (IsUntypedFrom(method))
            {
                if (FirstStringConstant(invocation) is { } table && !tables.Value.ContainsKey(table.Value))
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownQueryTable, table.Location, table.Value));
                }

                return;
            }

            if (method.ContainingType?.Name != "RowQuery" || !ColumnMethods.Contains(method.Name)
                || FirstStringConstant(invocation) is not { } column
                || TableOf(invocation.Instance) is not { } tableName
                || !tables.Value.TryGetValue(tableName, out var known))
            {
                return;
            }

            var names = method.Name == "Select"
                ? column.Value.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0 && n != "*")
                : new[] { column.Value };
            foreach (var name in names.Where(n => !known.Columns.Contains(n)))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.UnknownQueryColumn,
                    column.Location,
                    name,
                    tableName,
                    known.TypeName,
                    string.Join(", ", known.Ordered)));
            }
        }

        private static bool IsUntypedFrom(IMethodSymbol method) =>
            method.Name == "From" && !method.IsGenericMethod && method.Parameters.Length == 1
            && method.Parameters[0].Type.SpecialType == SpecialType.System_String;

        /// <summary>The table name of the chain's <c>From("…")</c>, when it is a constant; null otherwise.</summary>
        private static string? TableOf(IOperation? receiver)
        {
            for (var current = receiver; current is not null;)
            {
                if (current is IConversionOperation conversion)
                {
                    current = conversion.Operand;
                    continue;
                }

                if (current is not IInvocationOperation call || call.TargetMethod.ContainingNamespace?.ToDisplayString() != Namespace)
                {
                    return null;
                }

                if (IsUntypedFrom(call.TargetMethod))
                {
                    return FirstStringConstant(call)?.Value;
                }

                current = call.Instance;
            }

            return null;
        }

        private static (string Value, Location Location)? FirstStringConstant(IInvocationOperation invocation)
        {
            var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);
            if (argument?.Value.ConstantValue is { HasValue: true, Value: string value })
            {
                return (value, argument.Value.Syntax.GetLocation());
            }

            return null;
        }

        private static Dictionary<string, TableColumns> CollectTables(Compilation compilation, INamedTypeSymbol tableAttribute, CancellationToken cancellationToken)
        {
            var tables = new Dictionary<string, TableColumns>(StringComparer.Ordinal);
            var pending = new Stack<INamespaceOrTypeSymbol>();
            pending.Push(compilation.Assembly.GlobalNamespace);
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var member in pending.Pop().GetMembers())
                {
                    if (member is INamespaceOrTypeSymbol container)
                    {
                        pending.Push(container);
                    }

                    if (member is not INamedTypeSymbol type)
                    {
                        continue;
                    }

                    var attribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, tableAttribute));
                    if (attribute is { ConstructorArguments.Length: 1 } && attribute.ConstructorArguments[0].Value is string name && !tables.ContainsKey(name))
                    {
                        var columns = TableParser.ColumnNames(type);
                        tables.Add(name, new TableColumns(type.ToDisplayString(), new HashSet<string>(columns, StringComparer.Ordinal), columns));
                    }
                }
            }

            return tables;
        }

        private sealed class TableColumns
        {
            public TableColumns(string typeName, HashSet<string> columns, IReadOnlyList<string> ordered)
            {
                TypeName = typeName;
                Columns = columns;
                Ordered = ordered;
            }

            public string TypeName { get; }

            public HashSet<string> Columns { get; }

            public IReadOnlyList<string> Ordered { get; }
        }
    }
}
