namespace Prxy.Typed.Migrations.Tests;

public sealed class LedgerModelTests
{
    [Fact]
    public void Checksum_is_sha256_hex_of_lf_normalised_bom_less_utf8()
    {
        // printf 'CREATE TABLE a (x int);\nSELECT 1;' | sha256sum
        const string expected = "sha256:888e0d8c2456b36d0630682a9d5404592585dfa6edc426413dfa6d9c291377cc";
        var lf = MigrationChecksum.Compute("CREATE TABLE a (x int);\nSELECT 1;");

        Assert.Equal(expected, lf);
        Assert.Equal(lf, MigrationChecksum.Compute("CREATE TABLE a (x int);\r\nSELECT 1;"));
        Assert.Equal(lf, MigrationChecksum.Compute("\uFEFFCREATE TABLE a (x int);\rSELECT 1;"));
        Assert.NotEqual(lf, MigrationChecksum.Compute("CREATE TABLE a (x int);\nSELECT 2;"));
    }

    [Fact]
    public void Ledger_orders_entries_and_rejects_duplicate_versions()
    {
        var ledger = new MigrationLedger("m", [Ledgers.Step("m", 3), Ledgers.Step("m", 1)]);

        Assert.Equal([1L, 3L], ledger.Select(e => e.Version));
        Assert.Null(ledger.Find(2));
        var error = Assert.Throws<ArgumentException>(() => new MigrationLedger("m", [Ledgers.Step("m", 1), Ledgers.Step("m", 1, "again")]));
        Assert.Contains("Module 'm' declares migration version 1 twice ('step 1' and 'again')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_rejects_non_positive_versions_and_empty_text()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MigrationEntry(0, "zero", "SELECT 1", "SELECT 1"));
        Assert.Throws<ArgumentException>(() => new MigrationEntry(1, "empty", " ", "SELECT 1"));
    }

    [Fact]
    public void Script_splits_at_top_level_semicolons_only()
    {
        var statements = SqlScript.Split("""
            CREATE TABLE a (x text DEFAULT 'a;b'); -- trailing; comment
            /* block; comment */ CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
            INSERT INTO "we;ird" VALUES ('it''s;');
            ;
            -- only a comment
            """);

        Assert.Equal(3, statements.Count);
        Assert.Equal("CREATE TABLE a (x text DEFAULT 'a;b')", statements[0]);
        Assert.EndsWith("$body$ SELECT 1; $body$ LANGUAGE sql", statements[1], StringComparison.Ordinal);
        Assert.Equal("INSERT INTO \"we;ird\" VALUES ('it''s;')", statements[2]);
    }
}
