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
    public async Task Generated_MigrateAsync_applies_the_module_through_the_real_storage_and_reports_it()
    {
        var dir = Path.Combine(Path.GetTempPath(), "prxy-mig-tests", Guid.NewGuid().ToString("N"));
        await using var storage = await PrxyStorage.OpenAsync(StorageOptions.Local(dir));
        var before = await storage.Db.From("notes").Select("id, body").ExecuteAsync();

        var first = await TestModule.MigrateAsync(storage);
        var second = await TestModule.MigrateAsync(storage);
        var status = await TestModule.GetMigrationStatusAsync(storage);
        var after = await storage.Db.From("notes").Select("id, body, score").ExecuteAsync();

        Assert.False(before.IsSuccess);
        Assert.Equal([1L, 2L], first.Applied.Select(a => a.Version));
        Assert.Empty(second.Applied);
        Assert.Equal([1L, 2L], second.AlreadyApplied);
        Assert.True(status.IsUpToDate);
        Assert.True(after.IsSuccess, after.Error?.Message); // the runner invalidated the live schema the untyped API had cached
        Assert.Empty(after.Data!);
    }
}
