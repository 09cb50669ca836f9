using Microsoft.CodeAnalysis;
using static Prxy.Typed.Generators.Tests.Modules.ModuleSources;

namespace Prxy.Typed.Generators.Tests.Modules;

public sealed class ModuleGeneratorTests
{
    [Fact]
    public void Complete_module_generates_a_compiling_ledger_and_runner_without_diagnostics()
    {
        var result = ModuleHarness.Run(Complete);

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        var source = Assert.Single(result.Sources);
        ModuleHarness.AssertSnapshot(source, "PatternsModule");
        Assert.Contains("sqlite " + Prxy.Typed.Migrations.MigrationChecksum.Compute("ALTER TABLE patterns ADD COLUMN success_rate REAL NOT NULL DEFAULT 1.0;"), source, StringComparison.Ordinal);
    }

    [Fact]
    public void Portable_sql_is_used_for_both_dialects()
    {
        var result = ModuleHarness.Run(File(Module, """
            [Migration(1, "portable")]
            public static partial class Portable { public const string Sql = "CREATE TABLE t (id bigint PRIMARY KEY);"; }
            """));

        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        var source = Assert.Single(result.Sources);
        Assert.Contains("postgres: \"CREATE TABLE t (id bigint PRIMARY KEY);\"", source, StringComparison.Ordinal);
        Assert.Contains("sqlite: \"CREATE TABLE t (id bigint PRIMARY KEY);\"", source, StringComparison.Ordinal);
    }

    [Fact]
    public void PRXY0100_migration_class_that_is_not_static_partial()
    {
        var result = ModuleHarness.Run(File(Module, """
            [Migration(1, "one")]
            public static class NotPartial { public const string Sql = "CREATE TABLE t (id bigint);"; }
            """));

        var d = result.Single("PRXY0100");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("NotPartial", result.Text(d));
        Assert.Equal("Migration class 'Sample.NotPartial' must be declared 'static partial' (for example 'public static partial class NotPartial')", d.GetMessage());
    }

    [Fact]
    public void PRXY0101_duplicate_version_points_at_the_second_declaration()
    {
        var result = ModuleHarness.Run(File(Module, """
            [Migration(1, "one")]
            public static partial class One { public const string Sql = "CREATE TABLE a (id bigint);"; }
            """, """
            [Migration(1, "also one")]
            public static partial class AlsoOne { public const string Sql = "CREATE TABLE b (id bigint);"; }
            """));

        var d = result.Single("PRXY0101");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("1", result.Text(d));
        Assert.Equal(13, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Equal("Migration version 1 of 'Sample.AlsoOne' is already used by 'Sample.One'; give every migration of a module its own version (the next free one is 2)", d.GetMessage());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public void PRXY0102_version_must_be_positive(string version)
    {
        var result = ModuleHarness.Run(File(Module, $$"""
            [Migration({{version}}, "zero")]
            public static partial class Zero { public const string Sql = "CREATE TABLE a (id bigint);"; }
            """));

        var d = result.Single("PRXY0102");
        Assert.Equal(version, result.Text(d));
        Assert.Equal($"Migration 'Sample.Zero' has version {version}; versions must be 1 or greater", d.GetMessage());
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"  -- nothing here\\n \"")]
    public void PRXY0103_empty_sql(string text)
    {
        var result = ModuleHarness.Run(File(Module, $$"""
            [Migration(1, "empty")]
            public static partial class Empty { public const string Postgres = {{text}}; public const string Sqlite = "CREATE TABLE a (id bigint);"; }
            """));

        var d = result.Single("PRXY0103");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.StartsWith("Postgres", result.Text(d), StringComparison.Ordinal);
        Assert.Equal("'Sample.Empty.Postgres' is empty; write the migration's SQL there, or delete the member", d.GetMessage());
        Assert.DoesNotContain(result.Diagnostics, x => x.Id == "PRXY0104");
    }

    [Fact]
    public void PRXY0104_dialect_without_text()
    {
        var result = ModuleHarness.Run(File(Module, """
            [Migration(1, "postgres only")]
            public static partial class PostgresOnly { public const string Postgres = "CREATE TABLE a (id bigint);"; }
            """));

        var d = result.Single("PRXY0104");
        Assert.Equal("PostgresOnly", result.Text(d));
        Assert.Equal("Migration 'Sample.PostgresOnly' has no SQL for Sqlite; add 'public const string Sqlite = \"…\";', or replace the dialect texts with one portable 'public const string Sql = \"…\";'", d.GetMessage());
    }

    [Fact]
    public void PRXY0104_class_without_any_sql_misses_both_dialects()
    {
        var result = ModuleHarness.Run(File(Module, """
            [Migration(1, "nothing")]
            public static partial class Nothing { public static readonly string Sql = "CREATE TABLE a (id bigint);"; }
            """));

        Assert.Equal(["Postgres", "Sqlite"], result.Diagnostics.Where(d => d.Id == "PRXY0104").Select(d => d.GetMessage().Split(' ')[6].TrimEnd(';')).Order());
    }

    [Fact]
    public void PRXY0105_portable_and_dialect_sql_together()
    {
        var result = ModuleHarness.Run(File(Module, """
            [Migration(1, "both")]
            public static partial class Both { public const string Sql = "CREATE TABLE a (id bigint);"; public const string Sqlite = "CREATE TABLE a (id INTEGER);"; }
            """));

        var d = result.Single("PRXY0105");
        Assert.Equal("Both", result.Text(d));
        Assert.Contains("declares 'Sql' together with 'Sqlite'", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void PRXY0106_module_class_that_is_not_static_partial()
    {
        var result = ModuleHarness.Run(File("""
            [PrxyModule("patterns")]
            public partial class PatternsModule;
            """));

        var d = result.Single("PRXY0106");
        Assert.Equal("PatternsModule", result.Text(d));
        Assert.Equal("Module class 'Sample.PatternsModule' must be a top-level 'static partial' class (for example 'public static partial class PatternsModule;')", d.GetMessage());
        Assert.Empty(result.Sources);
    }

    [Fact]
    public void PRXY0107_second_module_in_an_assembly()
    {
        var result = ModuleHarness.Run(File(Module, """
            [PrxyModule("other")]
            public static partial class OtherModule;
            """));

        var d = result.Single("PRXY0107");
        Assert.Equal("OtherModule", result.Text(d));
        Assert.Equal("'Sample.OtherModule' is a second [PrxyModule] in this assembly (the first is 'Sample.PatternsModule'); an assembly holds one module: move it to its own project or remove the attribute", d.GetMessage());
    }

    [Fact]
    public void PRXY0108_empty_module_id()
    {
        var result = ModuleHarness.Run(File("""
            [PrxyModule(" ")]
            public static partial class BillingModule;
            """));

        var d = result.Single("PRXY0108");
        Assert.Equal("[PrxyModule] on 'Sample.BillingModule' has an empty id; give the module a stable, non-empty id such as \"billing\"", d.GetMessage());
    }

    [Fact]
    public void PRXY0109_missing_migrations_package_is_reported_instead_of_code_that_cannot_compile()
    {
        var result = ModuleHarness.Run(Complete, referenceMigrations: false);

        var d = result.Single("PRXY0109");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("PatternsModule", result.Text(d));
        Assert.Contains("add a PackageReference (or ProjectReference) to Prxy.Typed.Migrations", d.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(result.Sources);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void PRXY0110_migration_without_a_module()
    {
        var result = ModuleHarness.Run(File(AddSuccessRate));

        var d = result.Single("PRXY0110");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Equal("AddSuccessRate", result.Text(d));
    }

    [Fact]
    public void PRXY0121_record_property_without_column_names_the_exact_ddl_per_dialect()
    {
        var result = ModuleHarness.Run(File(Module, CreatePatterns, Pattern));

        var missing = result.Diagnostics.Where(d => d.Id == "PRXY0121").ToList();
        Assert.Equal(2, missing.Count);
        Assert.All(missing, d => Assert.Equal("SuccessRate", result.Text(d)));
        Assert.All(missing, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Contains(missing, d => d.GetMessage() ==
            "Property 'Pattern.SuccessRate' maps to column 'success_rate', which table 'patterns' does not have after the module's Postgres migrations; add a migration: ALTER TABLE patterns ADD COLUMN success_rate double precision NOT NULL DEFAULT 0");
        Assert.Contains(missing, d => d.GetMessage() ==
            "Property 'Pattern.SuccessRate' maps to column 'success_rate', which table 'patterns' does not have after the module's Sqlite migrations; add a migration: ALTER TABLE patterns ADD COLUMN success_rate REAL NOT NULL DEFAULT 0");
        Assert.Single(result.Diagnostics.Select(d => d.Id).Distinct());
    }

    [Fact]
    public void PRXY0120_record_whose_table_no_migration_creates()
    {
        var result = ModuleHarness.Run(File(Module, AddSuccessRate.Replace("ALTER TABLE patterns ADD COLUMN success_rate", "CREATE TABLE other (success_rate", StringComparison.Ordinal).Replace("1.0;", "1.0);", StringComparison.Ordinal), """
            [Table("notes")]
            public sealed partial record Note { [PrimaryKey] public required string Id { get; init; } public int? Stars { get; init; } }
            """));

        var d = Assert.Single(result.Diagnostics, x => x.Id == "PRXY0120" && x.GetMessage().Contains("Postgres", StringComparison.Ordinal));
        Assert.Equal("Note", result.Text(d));
        Assert.Equal("[Table(\"notes\")] record 'Note' names a table that the module's Postgres migrations do not create; add a migration: CREATE TABLE notes (id text NOT NULL, stars integer, PRIMARY KEY (id))", d.GetMessage());
    }

    [Fact]
    public void PRXY0122_column_type_that_does_not_fit()
    {
        var result = ModuleHarness.Run(File(Module, CreatePatterns.Replace("applied_count bigint", "applied_count integer", StringComparison.Ordinal), AddSuccessRate, Pattern));

        var d = result.Single("PRXY0122");
        Assert.Equal("AppliedCount", result.Text(d));
        Assert.Equal("Property 'Pattern.AppliedCount' (long) does not fit column 'patterns.applied_count' of type integer in the module's Postgres migrations; it needs bigint: ALTER TABLE patterns ALTER COLUMN applied_count TYPE bigint", d.GetMessage());
    }

    [Fact]
    public void PRXY0122_vector_dimension_mismatch()
    {
        var result = ModuleHarness.Run(File(Module, CreatePatterns.Replace("vector(3)", "vector(384)", StringComparison.Ordinal), AddSuccessRate, Pattern));

        var d = result.Single("PRXY0122");
        Assert.Equal("Embedding", result.Text(d));
        Assert.Contains("of type vector(384)", d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("it needs vector(3)", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void PRXY0123_nullability_that_does_not_fit_either_way()
    {
        var result = ModuleHarness.Run(File(Module,
            CreatePatterns.Replace("problem text NOT NULL", "problem text", StringComparison.Ordinal).Replace("user_id text,", "user_id text NOT NULL,", StringComparison.Ordinal),
            AddSuccessRate, Pattern));

        var ds = result.Diagnostics.Where(d => d.Id == "PRXY0123").OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(["UserId", "Problem"], ds.Select(result.Text));
        Assert.Equal("Property 'Pattern.UserId' is nullable but column 'patterns.user_id' is NOT NULL in the module's Postgres migrations; writing null would violate NOT NULL: make the property non-nullable, or ALTER TABLE patterns ALTER COLUMN user_id DROP NOT NULL", ds[0].GetMessage());
        Assert.Equal("Property 'Pattern.Problem' is not nullable but column 'patterns.problem' is nullable in the module's Postgres migrations; reading a NULL would fail: make the property nullable, or ALTER TABLE patterns ALTER COLUMN problem SET NOT NULL", ds[1].GetMessage());
    }

    [Fact]
    public void Renames_and_drops_are_followed()
    {
        var result = ModuleHarness.Run(File(Module, CreatePatterns, AddSuccessRate, """
            [Migration(4, "reshape")]
            public static partial class Reshape
            {
                public const string Sql = "ALTER TABLE patterns RENAME COLUMN problem TO question; ALTER TABLE patterns DROP COLUMN tags; ALTER TABLE patterns RENAME TO old_patterns;";
            }
            """, """
            [Migration(5, "new patterns")]
            public static partial class NewPatterns
            {
                public const string Sql = "CREATE TABLE IF NOT EXISTS patterns (id text PRIMARY KEY, question text NOT NULL); DROP TABLE old_patterns;";
            }
            """, """
            [Table("patterns")]
            public sealed partial record Pattern
            {
                [PrimaryKey] public required string Id { get; init; }
                public required string Question { get; init; }
                public string? Problem { get; init; }
            }
            """));

        Assert.Equal(["PRXY0121", "PRXY0121"], result.Diagnostics.Select(d => d.Id));
        Assert.All(result.Diagnostics, d => Assert.Equal("Problem", result.Text(d)));
    }

    [Fact]
    public void PRXY0130_statement_not_understood_is_info_and_never_a_false_warning()
    {
        var result = ModuleHarness.Run(File(Module, CreatePatterns, """
            [Migration(2, "procedural")]
            public static partial class Procedural
            {
                public const string Postgres = "DO $$ BEGIN EXECUTE 'ALTER TABLE patterns ADD COLUMN success_rate double precision NOT NULL DEFAULT 1'; END $$;";
                public const string Sqlite = "ALTER TABLE patterns ADD COLUMN success_rate REAL NOT NULL DEFAULT 1.0;";
            }
            """, Pattern));

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("PRXY0130", d.Id);
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Equal("Procedural", result.Text(d));
        Assert.Equal("The schema check does not understand this Postgres statement of migration 2 ('procedural'), so no table is checked against the records: DO $$ BEGIN EXECUTE 'ALTER TABLE patterns ADD COLUMN success_rate double precision NOT NULL DEFAULT 1'; END $$", d.GetMessage());
    }
}
