using Prxy.Typed.Generators.Modules;

namespace Prxy.Typed.Generators.Tests.Modules;

public sealed class DdlSchemaTests
{
    private static DdlSchema Replay(params string[] statements)
    {
        var schema = new DdlSchema();
        foreach (var statement in statements.SelectMany(s => Prxy.Typed.Migrations.SqlScript.Split(s)))
        {
            Assert.Null(schema.Apply(statement));
        }

        return schema;
    }

    private static string Describe(DdlTable table) =>
        string.Join(", ", table.Columns.Select(c => $"{c.Name} {c.Type}{(c.PrimaryKey ? " pk" : c.NotNull ? " not null" : string.Empty)}"));

    [Fact]
    public void Create_table_reads_types_constraints_and_table_level_keys()
    {
        var schema = Replay("""
            CREATE TABLE IF NOT EXISTS public."Events" (
                tenant varchar(40) NOT NULL, id int8, at TIMESTAMP WITH TIME ZONE DEFAULT now(), price numeric(10, 2) CHECK (price > 0),
                tags text[], payload jsonb NOT NULL DEFAULT '{"a": ";"}'::jsonb, -- a comment; with a semicolon
                CONSTRAINT events_pk PRIMARY KEY (tenant, id)
            );
            """);

        Assert.Equal("tenant character varying(40) pk, id bigint pk, at timestamp with time zone, price numeric(10,2), tags text[], payload jsonb not null", Describe(schema.Find("Events")!));
    }

    [Fact]
    public void Alter_table_follows_add_drop_rename_type_and_nullability()
    {
        var schema = Replay(
            "CREATE TABLE t (a integer PRIMARY KEY, b text, c text NOT NULL)",
            "ALTER TABLE t ADD COLUMN d real; ALTER TABLE t ADD e boolean NOT NULL DEFAULT false",
            "ALTER TABLE t DROP COLUMN IF EXISTS b, ALTER COLUMN c DROP NOT NULL, ALTER COLUMN d SET NOT NULL",
            "ALTER TABLE t RENAME COLUMN c TO c2; ALTER TABLE t ALTER COLUMN a TYPE bigint USING a::bigint",
            "ALTER TABLE t RENAME TO t2; CREATE INDEX t2_d ON t2 (d); CREATE EXTENSION IF NOT EXISTS vector; INSERT INTO t2 (a) VALUES (1)");

        Assert.Null(schema.Find("t"));
        Assert.Equal("a bigint pk, c2 text, d real not null, e boolean not null", Describe(schema.Find("t2")!));
    }

    [Fact]
    public void Create_if_not_exists_keeps_the_first_definition_and_drop_table_removes_it()
    {
        var schema = Replay("CREATE TABLE a (x INTEGER); CREATE TABLE IF NOT EXISTS a (y TEXT); CREATE TABLE b (z BLOB); DROP TABLE IF EXISTS b;");

        Assert.Equal("x integer", Describe(schema.Find("a")!));
        Assert.Null(schema.Find("b"));
    }

    [Theory]
    [InlineData("DO $$ BEGIN PERFORM 1; END $$", "all tables")]
    [InlineData("CREATE TABLE copy AS SELECT * FROM a", "copy")]
    [InlineData("ALTER TABLE a INHERIT parent_of_a_kind_not_followed", null)]
    [InlineData("ALTER TABLE a ATTACH PARTITION p FOR VALUES IN (1)", null)]
    [InlineData("ALTER TABLE a SPLIT something", "a")]
    public void Statements_it_cannot_follow_are_reported_not_guessed(string statement, string? expected)
    {
        var schema = Replay("CREATE TABLE a (x INTEGER)");

        Assert.Equal(expected, schema.Apply(statement));
    }

    [Theory]
    [InlineData("INTEGER", "INTEGER")]
    [InlineData("BIGINT", "INTEGER")]
    [InlineData("VARCHAR(10)", "TEXT")]
    [InlineData("", "BLOB")]
    [InlineData("DOUBLE", "REAL")]
    [InlineData("BOOLEAN", "NUMERIC")]
    public void Sqlite_affinity_follows_sqlite_rules(string type, string affinity) => Assert.Equal(affinity, SqlTypes.SqliteAffinity(type));
}
