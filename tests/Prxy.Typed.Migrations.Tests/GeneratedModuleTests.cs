namespace Prxy.Typed.Migrations.Tests;

public sealed class GeneratedModuleTests
{
    [Fact]
    public void Ledger_holds_every_migration_with_per_dialect_text_and_checksums()
    {
        Assert.Equal("migration_tests", TestModule.Id);
        Assert.Equal("migration_tests", TestModule.Ledger.ModuleId);
        Assert.Equal([1L, 2L], TestModule.Ledger.Select(e => e.Version));
        var first = TestModule.Ledger[0];
        Assert.Equal("create notes", first.Name);
        Assert.Equal(CreateNotes.Postgres, first.Postgres);
        Assert.Equal(CreateNotes.Sqlite, first.Sqlite);
        Assert.Equal(MigrationChecksum.Compute(CreateNotes.Sqlite), first.SqliteChecksum);
        Assert.StartsWith("sha256:", first.PostgresChecksum, StringComparison.Ordinal);
        Assert.Equal(AddNoteScore.Sql, TestModule.Ledger[1].Postgres);
        Assert.Equal(AddNoteScore.Sql, TestModule.Ledger[1].Sqlite);
        Assert.True(first.Transactional);
    }

    [Fact]
    public async Task Generated_MigrateAsync_applies_the_module_through_the_storage_and_reports_it()
    {
        var db = SqliteTestDatabase.Create();
        await using var storage = new TestStorage(db);

        var first = await TestModule.MigrateAsync(storage);
        var second = await TestModule.MigrateAsync(storage);
        var status = await TestModule.GetMigrationStatusAsync(storage);

        Assert.Equal([1L, 2L], first.Applied.Select(a => a.Version));
        Assert.Empty(second.Applied);
        Assert.Equal([1L, 2L], second.AlreadyApplied);
        Assert.True(status.IsUpToDate);
        Assert.Equal(1, db.Invalidations);
    }
}
