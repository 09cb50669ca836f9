namespace Prxy.Typed.Migrations.Tests;

/// <summary>
/// Ledgers for runner tests. Every migration v creates table <c>{module}_t{v}</c> and records v in
/// <c>{module}_audit</c> (created by v1), so a migration that ran twice would fail or leave two audit rows.
/// </summary>
public static class Ledgers
{
    public static MigrationEntry Step(string module, long version, string? name = null)
    {
        var sql = version == 1
            ? $"CREATE TABLE {module}_audit (version bigint NOT NULL);\nCREATE TABLE {module}_t1 (id bigint PRIMARY KEY, note text);\nINSERT INTO {module}_audit VALUES (1);\n"
            : $"CREATE TABLE {module}_t{version} (id bigint PRIMARY KEY, note text);\nINSERT INTO {module}_audit VALUES ({version});\n";
        return new MigrationEntry(version, name ?? $"step {version}", sql, sql);
    }

    public static MigrationLedger Numbered(string module, params long[] versions)
        => new(module, versions.Select(v => Step(module, v)));

    /// <summary>v1 as in <see cref="Numbered"/>, v2 sleeps inside the migration when the connection asks it to.</summary>
    public static MigrationLedger Slow(string module) => new(module,
    [
        Step(module, 1),
        new MigrationEntry(2, "slow",
            postgres: $"CREATE TABLE {module}_t2 (id bigint PRIMARY KEY);\nSELECT pg_sleep(coalesce(nullif(current_setting('prxy.test_sleep', true), '')::float, 0));\nINSERT INTO {module}_audit VALUES (2);\n",
            sqlite: $"CREATE TABLE {module}_t2 (id bigint PRIMARY KEY);\nSELECT test_sleep();\nINSERT INTO {module}_audit VALUES (2);\n"),
        Step(module, 3),
    ]);
}
