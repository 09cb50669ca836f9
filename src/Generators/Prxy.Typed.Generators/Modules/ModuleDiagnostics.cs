using Microsoft.CodeAnalysis;

namespace Prxy.Typed.Generators.Modules
{
    /// <summary>Descriptors of the module and migration rules, PRXY0100..PRXY0199.</summary>
    internal static class ModuleDiagnostics
    {
        private const string Category = "Prxy.Typed.Migrations";

        private static DiagnosticDescriptor Rule(string id, string title, string message, DiagnosticSeverity severity) =>
            new(id, title, message, Category, severity, isEnabledByDefault: true,
                helpLinkUri: "docs/diagnostics/" + id + ".md");

        public static readonly DiagnosticDescriptor MigrationNotStaticPartial = Rule(
            "PRXY0100", "Migration class must be static partial",
            "Migration class '{0}' must be declared 'static partial' (for example 'public static partial class {1}')",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor DuplicateMigrationVersion = Rule(
            "PRXY0101", "Duplicate migration version",
            "Migration version {0} of '{1}' is already used by '{2}'; give every migration of a module its own version (the next free one is {3})",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor NonPositiveMigrationVersion = Rule(
            "PRXY0102", "Migration version must be positive",
            "Migration '{0}' has version {1}; versions must be 1 or greater",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor EmptyMigrationSql = Rule(
            "PRXY0103", "Migration SQL is empty",
            "'{0}.{1}' is empty; write the migration's SQL there, or delete the member",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor MissingMigrationSql = Rule(
            "PRXY0104", "Migration has no SQL for a dialect",
            "Migration '{0}' has no SQL for {1}; add 'public const string {1} = \"…\";', or replace the dialect texts with one portable 'public const string Sql = \"…\";'",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor AmbiguousMigrationSql = Rule(
            "PRXY0105", "Migration has both portable and dialect SQL",
            "Migration '{0}' declares 'Sql' together with '{1}'; keep either one portable 'Sql' or the 'Postgres' and 'Sqlite' texts",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor ModuleNotStaticPartial = Rule(
            "PRXY0106", "Module class must be a top-level static partial class",
            "Module class '{0}' must be a top-level 'static partial' class (for example 'public static partial class {1};')",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor MultipleModules = Rule(
            "PRXY0107", "More than one module in an assembly",
            "'{0}' is a second [PrxyModule] in this assembly (the first is '{1}'); an assembly holds one module: move it to its own project or remove the attribute",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor InvalidModuleId = Rule(
            "PRXY0108", "Module id is empty",
            "[PrxyModule] on '{0}' has an empty id; give the module a stable, non-empty id such as \"{1}\"",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor MigrationsPackageMissing = Rule(
            "PRXY0109", "Prxy.Typed.Migrations is not referenced",
            "Module '{0}' needs the Prxy.Typed.Migrations package for its generated Ledger and MigrateAsync; add a PackageReference (or ProjectReference) to Prxy.Typed.Migrations",
            DiagnosticSeverity.Error);

        public static readonly DiagnosticDescriptor MigrationWithoutModule = Rule(
            "PRXY0110", "Migration outside a module",
            "Migration '{0}' belongs to no module, so no runner applies it; declare the module: [PrxyModule(\"id\")] public static partial class MyModule;",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor TableNotCreated = Rule(
            "PRXY0120", "Record's table is not created by the migrations",
            "[Table(\"{0}\")] record '{1}' names a table that the module's {2} migrations do not create; add a migration: {3}",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor ColumnNotCreated = Rule(
            "PRXY0121", "Record property has no column",
            "Property '{0}.{1}' maps to column '{2}', which table '{3}' does not have after the module's {4} migrations; add a migration: {5}",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor ColumnTypeMismatch = Rule(
            "PRXY0122", "Column type does not fit the property",
            "Property '{0}.{1}' ({2}) does not fit column '{3}.{4}' of type {5} in the module's {6} migrations; it needs {7}: {8}",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor ColumnNullabilityMismatch = Rule(
            "PRXY0123", "Column nullability does not fit the property",
            "Property '{0}.{1}' is {2} but column '{3}.{4}' is {5} in the module's {6} migrations; {7}",
            DiagnosticSeverity.Warning);

        public static readonly DiagnosticDescriptor StatementNotUnderstood = Rule(
            "PRXY0130", "Migration statement not understood by the schema check",
            "The schema check does not understand this {0} statement of migration {1} ('{2}'), so {3} against the records: {4}",
            DiagnosticSeverity.Info);
    }
}
