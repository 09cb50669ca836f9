namespace Prxy.Typed.Migrations.Tests;

// The generated module of this test assembly: the generator completes it with Id, Ledger, MigrateAsync and
// GetMigrationStatusAsync, and these tests run it against real databases.
[PrxyModule("migration_tests")]
public static partial class TestModule;

[Migration(1, "create notes")]
public static partial class CreateNotes
{
    public const string Postgres = "CREATE TABLE notes (id text PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL);";
    public const string Sqlite = "CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at INTEGER NOT NULL);";
}

[Migration(2, "add notes.score")]
public static partial class AddNoteScore
{
    public const string Sql = "ALTER TABLE notes ADD COLUMN score REAL;";
}

[Table("notes")]
public sealed partial record Note
{
    [PrimaryKey] public required string Id { get; init; }
    public required string Body { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public float? Score { get; init; }
}
