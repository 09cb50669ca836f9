using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Prxy.Typed.Generators.Common;

namespace Prxy.Typed.Generators.Modules
{
    /// <summary>Compares each <c>[Table]</c> record with the tables the module's migrations build, per dialect.</summary>
    internal static class SchemaCheck
    {
        public static EquatableArray<DiagnosticInfo> Run(
            IReadOnlyList<MigrationSpec> migrations, IReadOnlyList<RecordTable> tables, CancellationToken cancellationToken)
        {
            var valid = migrations.Where(m => m.HasSql && m.Diagnostics.Count == 0).OrderBy(m => m.Version).ToList();
            if (valid.Count == 0)
            {
                return EquatableArray<DiagnosticInfo>.Empty;
            }

            var diagnostics = new List<DiagnosticInfo>();
            foreach (var postgres in new[] { true, false })
            {
                var dialect = postgres ? "Postgres" : "Sqlite";
                var schema = new DdlSchema();
                foreach (var migration in valid)
                {
                    foreach (var statement in Prxy.Typed.Migrations.SqlScript.Split(migration.SqlFor(postgres)!))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var notUnderstood = schema.Apply(statement);
                        if (notUnderstood is not null)
                        {
                            var scope = notUnderstood == "all tables" ? "no table is checked" : "table '" + notUnderstood + "' is not checked";
                            diagnostics.Add(DiagnosticInfo.Create(
                                ModuleDiagnostics.StatementNotUnderstood, migration.Location,
                                dialect, migration.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), migration.Name, scope, Shorten(statement)));
                        }
                    }
                }

                if (schema.AllUncertain)
                {
                    continue;
                }

                foreach (var table in tables)
                {
                    CheckTable(table, schema, postgres, dialect, diagnostics);
                }
            }

            return diagnostics.ToEquatableArray();
        }

        private static void CheckTable(RecordTable record, DdlSchema schema, bool postgres, string dialect, List<DiagnosticInfo> diagnostics)
        {
            var table = schema.Find(record.TableName);
            if (table is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.TableNotCreated, record.Location,
                    record.TableName, record.RecordName, dialect, CreateTable(record, postgres)));
                return;
            }

            if (table.Uncertain)
            {
                return;
            }

            foreach (var property in record.Columns)
            {
                var column = table.Find(property.ColumnName);
                if (column is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.ColumnNotCreated, property.Location,
                        record.RecordName, property.PropertyName, property.ColumnName, table.Name, dialect,
                        "ALTER TABLE " + table.Name + " ADD COLUMN " + ColumnDefinition(property, postgres)));
                    continue;
                }

                var expected = SqlTypes.Expected(property.Kind, postgres, property.VectorDimensions);
                if (!SqlTypes.Fits(property.Kind, column.Type, postgres, property.VectorDimensions))
                {
                    var fix = postgres
                        ? "ALTER TABLE " + table.Name + " ALTER COLUMN " + column.Name + " TYPE " + expected
                        : "SQLite cannot change a column's type in place: add a column " + property.ColumnName + " " + expected + ", copy the values and drop the old one, or change the property's type";
                    diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.ColumnTypeMismatch, property.Location,
                        record.RecordName, property.PropertyName, property.ClrType, table.Name, column.Name,
                        column.Type.Length == 0 ? "(none)" : column.Type, dialect, expected, fix));
                }

                if (!property.IsNullable && !column.NotNull)
                {
                    var fix = "reading a NULL would fail: make the property nullable, or " +
                              (postgres ? "ALTER TABLE " + table.Name + " ALTER COLUMN " + column.Name + " SET NOT NULL" : "rebuild the column as NOT NULL");
                    diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.ColumnNullabilityMismatch, property.Location,
                        record.RecordName, property.PropertyName, "not nullable", table.Name, column.Name, "nullable", dialect, fix));
                }
                else if (property.IsNullable && column.NotNull && !column.PrimaryKey)
                {
                    var fix = "writing null would violate NOT NULL: make the property non-nullable, or " +
                              (postgres ? "ALTER TABLE " + table.Name + " ALTER COLUMN " + column.Name + " DROP NOT NULL" : "rebuild the column without NOT NULL");
                    diagnostics.Add(DiagnosticInfo.Create(ModuleDiagnostics.ColumnNullabilityMismatch, property.Location,
                        record.RecordName, property.PropertyName, "nullable", table.Name, column.Name, "NOT NULL", dialect, fix));
                }
            }
        }

        private static string ColumnDefinition(RecordColumn property, bool postgres)
        {
            var definition = property.ColumnName + " " + SqlTypes.Expected(property.Kind, postgres, property.VectorDimensions);
            return property.IsNullable ? definition : definition + " NOT NULL" + SqlTypes.DefaultClause(property.Kind, postgres);
        }

        private static string CreateTable(RecordTable record, bool postgres)
        {
            var columns = record.Columns.Select(c =>
            {
                var definition = c.ColumnName + " " + SqlTypes.Expected(c.Kind, postgres, c.VectorDimensions);
                return c.IsNullable ? definition : definition + " NOT NULL";
            }).ToList();
            var keys = record.Columns.Where(c => c.IsPrimaryKey).Select(c => c.ColumnName).ToList();
            if (keys.Count > 0)
            {
                columns.Add("PRIMARY KEY (" + string.Join(", ", keys) + ")");
            }

            return "CREATE TABLE " + record.TableName + " (" + string.Join(", ", columns) + ")";
        }

        private static string Shorten(string statement)
        {
            var oneLine = string.Join(" ", statement.Split(new[] { ' ', '\n', '\r', '\t' }, System.StringSplitOptions.RemoveEmptyEntries));
            return oneLine.Length <= 120 ? oneLine : oneLine.Substring(0, 117) + "...";
        }
    }
}
