namespace Prxy.Typed.Migrations.Tests;

/// <summary>The runner's behaviour, run on SQLite and on PostgreSQL by the subclasses.</summary>
public abstract class RunnerContractTests
{
    protected abstract Task<ISqlConnectionFactory> CreateDatabaseAsync();

    protected SqlDialectKind Dialect { get; set; }

    [SkippableFact]
    public async Task Fresh_database_gets_every_migration_once_and_an_exact_ledger()
    {
        var db = await CreateDatabaseAsync();
        var ledger = Ledgers.Numbered("m", 1, 2, 3);

        var report = await MigrationRunner.MigrateAsync(db, ledger);

        Assert.Equal("m", report.Module);
        Assert.Equal([1L, 2L, 3L], report.Applied.Select(a => a.Version));
        Assert.Equal(["step 1", "step 2", "step 3"], report.Applied.Select(a => a.Name));
        Assert.All(report.Applied, a => Assert.True(a.Duration >= TimeSpan.Zero));
        Assert.Empty(report.AlreadyApplied);
        Assert.Empty(report.AppliedByNewerBuild);
        Assert.Equal(Sql.ExpectedLedger(ledger, db.Dialect), await Sql.LedgerAsync(db, "m"));
        Assert.Equal(["1x1", "2x1", "3x1"], await Sql.AuditAsync(db, "m"));
    }

    [SkippableFact]
    public async Task Partly_migrated_database_gets_only_the_rest_and_a_second_run_changes_nothing()
    {
        var db = await CreateDatabaseAsync();
        await MigrationRunner.MigrateAsync(db, Ledgers.Numbered("m", 1));
        var full = Ledgers.Numbered("m", 1, 2, 3);

        var report = await MigrationRunner.MigrateAsync(db, full);
        var again = await MigrationRunner.MigrateAsync(db, full);

        Assert.Equal([2L, 3L], report.Applied.Select(a => a.Version));
        Assert.Equal([1L], report.AlreadyApplied);
        Assert.Empty(again.Applied);
        Assert.Equal([1L, 2L, 3L], again.AlreadyApplied);
        Assert.Equal(Sql.ExpectedLedger(full, db.Dialect), await Sql.LedgerAsync(db, "m"));
        Assert.Equal(["1x1", "2x1", "3x1"], await Sql.AuditAsync(db, "m"));
    }

    [SkippableFact]
    public async Task Eight_concurrent_runners_apply_each_migration_exactly_once()
    {
        var db = await CreateDatabaseAsync();
        var ledger = Ledgers.Numbered("m", 1, 2, 3, 4, 5, 6);
        using var start = new ManualResetEventSlim();

        var runners = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await MigrationRunner.MigrateAsync(db, ledger);
        })).ToArray();
        start.Set();
        var reports = await Task.WhenAll(runners);

        var appliedVersions = reports.SelectMany(r => r.Applied).Select(a => a.Version).Order().ToList();
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], appliedVersions);
        Assert.All(reports, r => Assert.Equal(6, r.Applied.Count + r.AlreadyApplied.Count));
        Assert.Equal(Sql.ExpectedLedger(ledger, db.Dialect), await Sql.LedgerAsync(db, "m"));
        Assert.Equal(["1x1", "2x1", "3x1", "4x1", "5x1", "6x1"], await Sql.AuditAsync(db, "m"));
    }

    [SkippableFact]
    public async Task Migration_failing_halfway_leaves_neither_its_changes_nor_its_row()
    {
        var db = await CreateDatabaseAsync();
        var ledger = new MigrationLedger("m",
        [
            Ledgers.Step("m", 1),
            new MigrationEntry(2, "broken", "CREATE TABLE m_half (id bigint); INSERT INTO m_audit VALUES (2); INSERT INTO m_missing VALUES (1);",
                "CREATE TABLE m_half (id bigint); INSERT INTO m_audit VALUES (2); INSERT INTO m_missing VALUES (1);"),
            Ledgers.Step("m", 3),
        ]);

        var error = await Assert.ThrowsAsync<MigrationException>(() => MigrationRunner.MigrateAsync(db, ledger));

        Assert.Equal("m", error.Module);
        Assert.Equal(2, error.Version);
        Assert.Contains("Module 'm': migration 2 ('broken') failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("m_missing", error.Message, StringComparison.Ordinal);
        Assert.False(await Sql.TableExistsAsync(db, "m_half"));
        Assert.Equal(["1x1"], await Sql.AuditAsync(db, "m"));
        Assert.Equal(Sql.ExpectedLedger(ledger, db.Dialect, 1), await Sql.LedgerAsync(db, "m"));
        Assert.False(await Sql.TableExistsAsync(db, "m_t3"));
    }

    [SkippableFact]
    public async Task Changed_checksum_stops_the_module_naming_version_and_both_checksums()
    {
        var db = await CreateDatabaseAsync();
        var original = Ledgers.Numbered("m", 1, 2);
        await MigrationRunner.MigrateAsync(db, original);
        var edited = new MigrationEntry(2, "step 2", "CREATE TABLE m_t2 (id bigint PRIMARY KEY, note text, extra text); INSERT INTO m_audit VALUES (2);",
            "CREATE TABLE m_t2 (id bigint PRIMARY KEY, note text, extra text); INSERT INTO m_audit VALUES (2);");
        var changed = new MigrationLedger("m", [original[0], edited, Ledgers.Step("m", 3)]);

        var error = await Assert.ThrowsAsync<MigrationException>(() => MigrationRunner.MigrateAsync(db, changed));
        var status = await MigrationRunner.GetStatusAsync(db, changed);

        Assert.Equal(2, error.Version);
        Assert.Contains("Module 'm': migration 2 ('step 2')", error.Message, StringComparison.Ordinal);
        Assert.Contains(original[1].ChecksumFor(db.Dialect), error.Message, StringComparison.Ordinal);
        Assert.Contains(edited.ChecksumFor(db.Dialect), error.Message, StringComparison.Ordinal);
        Assert.False(await Sql.TableExistsAsync(db, "m_t3"));
        var drift = Assert.Single(status.Drift);
        Assert.Equal((2L, original[1].ChecksumFor(db.Dialect), edited.ChecksumFor(db.Dialect)), (drift.Version, drift.DatabaseChecksum, drift.LedgerChecksum));
        Assert.False(status.IsUpToDate);
    }

    [SkippableFact]
    public async Task Crlf_and_lf_text_are_the_same_migration()
    {
        var db = await CreateDatabaseAsync();
        var lf = Ledgers.Numbered("m", 1, 2);
        await MigrationRunner.MigrateAsync(db, lf);
        var crlf = new MigrationLedger("m", lf.Select(e => new MigrationEntry(e.Version, e.Name,
            "\uFEFF" + e.Postgres.Replace("\n", "\r\n", StringComparison.Ordinal), e.Sqlite.Replace("\n", "\r\n", StringComparison.Ordinal))));

        var report = await MigrationRunner.MigrateAsync(db, crlf);

        Assert.NotEqual(lf[0].Sqlite, crlf[0].Sqlite);
        Assert.Empty(report.Applied);
        Assert.Equal([1L, 2L], report.AlreadyApplied);
        Assert.True((await MigrationRunner.GetStatusAsync(db, crlf)).IsUpToDate);
    }

    [SkippableFact]
    public async Task Two_modules_in_one_database_do_not_interfere()
    {
        var db = await CreateDatabaseAsync();
        var a = Ledgers.Numbered("a", 1, 2);
        var b = Ledgers.Numbered("b", 1, 2, 3);

        var reports = await Task.WhenAll(
            Task.Run(() => MigrationRunner.MigrateAsync(db, a)),
            Task.Run(() => MigrationRunner.MigrateAsync(db, b)));
        var statusA = await MigrationRunner.GetStatusAsync(db, a);

        Assert.Equal([1L, 2L], reports[0].Applied.Select(x => x.Version));
        Assert.Equal([1L, 2L, 3L], reports[1].Applied.Select(x => x.Version));
        Assert.Empty(reports[0].AppliedByNewerBuild);
        Assert.True(statusA.IsUpToDate);
        Assert.Empty(statusA.AppliedByNewerBuild);
        Assert.Equal(Sql.ExpectedLedger(a, db.Dialect), await Sql.LedgerAsync(db, "a"));
        Assert.Equal(Sql.ExpectedLedger(b, db.Dialect), await Sql.LedgerAsync(db, "b"));
    }

    [SkippableFact]
    public async Task Gap_filled_by_a_later_build_is_applied_and_reported()
    {
        var db = await CreateDatabaseAsync();
        await MigrationRunner.MigrateAsync(db, Ledgers.Numbered("m", 1, 3));
        var full = Ledgers.Numbered("m", 1, 2, 3);

        var before = await MigrationRunner.GetStatusAsync(db, full);
        var report = await MigrationRunner.MigrateAsync(db, full);

        Assert.Equal([2L], before.Pending.Select(p => p.Version));
        Assert.Equal(2L, Assert.Single(report.Applied).Version);
        Assert.Equal([1L, 3L], report.AlreadyApplied);
        Assert.Equal(Sql.ExpectedLedger(full, db.Dialect), await Sql.LedgerAsync(db, "m"));
    }

    [SkippableFact]
    public async Task Versions_applied_by_a_newer_build_are_tolerated_and_reported()
    {
        var db = await CreateDatabaseAsync();
        await MigrationRunner.MigrateAsync(db, Ledgers.Numbered("m", 1, 2, 3));

        var report = await MigrationRunner.MigrateAsync(db, Ledgers.Numbered("m", 1, 2));
        var status = await MigrationRunner.GetStatusAsync(db, Ledgers.Numbered("m", 1, 2));

        Assert.Empty(report.Applied);
        Assert.Equal([1L, 2L], report.AlreadyApplied);
        var newer = Assert.Single(report.AppliedByNewerBuild);
        Assert.Equal((3L, "step 3"), (newer.Version, newer.Name));
        Assert.True(status.IsUpToDate);
        Assert.Equal(3L, Assert.Single(status.AppliedByNewerBuild).Version);
    }

    [SkippableFact]
    public async Task Status_reads_without_creating_or_applying_anything()
    {
        var db = await CreateDatabaseAsync();
        var ledger = Ledgers.Numbered("m", 1, 2);

        var status = await MigrationRunner.GetStatusAsync(db, ledger);

        Assert.Equal([1L, 2L], status.Pending.Select(p => p.Version));
        Assert.Empty(status.Applied);
        Assert.False(status.IsUpToDate);
        Assert.False(await Sql.TableExistsAsync(db, "prxy_migrations"));
    }

    [SkippableFact]
    public async Task Non_transactional_migration_is_recorded_as_finished()
    {
        var db = await CreateDatabaseAsync();
        var index = new MigrationEntry(2, "index notes", NonTransactionalIndexPostgres, "CREATE INDEX m_t1_note ON m_t1 (note);", transactional: false);
        var ledger = new MigrationLedger("m", [Ledgers.Step("m", 1), index]);

        var report = await MigrationRunner.MigrateAsync(db, ledger);

        Assert.Equal([1L, 2L], report.Applied.Select(a => a.Version));
        Assert.Equal(Sql.ExpectedLedger(ledger, db.Dialect), await Sql.LedgerAsync(db, "m"));
        var indexCount = db.Dialect == SqlDialectKind.Postgres
            ? await Sql.ScalarAsync(db, "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'm_t1_note' AND i.indisvalid")
            : await Sql.ScalarAsync(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'm_t1_note'");
        Assert.Equal(1L, Convert.ToInt64(indexCount));
    }

    [SkippableFact]
    public async Task Unfinished_non_transactional_migration_blocks_the_module_and_says_how_to_resolve()
    {
        var db = await CreateDatabaseAsync();
        var broken = new MigrationEntry(2, "two statements", "CREATE TABLE m_nt (id bigint); INSERT INTO m_missing VALUES (1);",
            "CREATE TABLE m_nt (id bigint); INSERT INTO m_missing VALUES (1);", transactional: false);
        var ledger = new MigrationLedger("m", [Ledgers.Step("m", 1), broken, Ledgers.Step("m", 3)]);

        var noWait = new MigrationRunnerOptions { UnfinishedMigrationWait = TimeSpan.Zero };
        var failed = await Assert.ThrowsAsync<MigrationException>(() => MigrationRunner.MigrateAsync(db, ledger, noWait));
        var blocked = await Assert.ThrowsAsync<MigrationException>(() => MigrationRunner.MigrateAsync(db, ledger, noWait));
        var status = await MigrationRunner.GetStatusAsync(db, ledger);

        Assert.Contains("failed at statement 2 of 2", failed.Message, StringComparison.Ordinal);
        Assert.Equal(2, blocked.Version);
        Assert.Contains("non-transactional migration 2 ('two statements') was started", blocked.Message, StringComparison.Ordinal);
        Assert.Contains("DELETE FROM prxy_migrations WHERE module = 'm' AND version = 2", blocked.Message, StringComparison.Ordinal);
        Assert.True(await Sql.TableExistsAsync(db, "m_nt"));
        Assert.False(await Sql.TableExistsAsync(db, "m_t3"));
        Assert.Equal(2L, Assert.Single(status.Unfinished).Version);

        // Resolving as the message says (the statement that took effect is undone, the row deleted) lets the module continue.
        await Sql.ExecuteAsync(db, "DROP TABLE m_nt");
        await Sql.ExecuteAsync(db, "DELETE FROM prxy_migrations WHERE module = 'm' AND version = 2");
        var fixedLedger = new MigrationLedger("m", [Ledgers.Step("m", 1),
            new MigrationEntry(2, "two statements", "CREATE TABLE m_nt (id bigint);", "CREATE TABLE m_nt (id bigint);", transactional: false), Ledgers.Step("m", 3)]);
        var report = await MigrationRunner.MigrateAsync(db, fixedLedger);
        Assert.Equal([2L, 3L], report.Applied.Select(a => a.Version));
    }

    [SkippableFact]
    public async Task Applying_invalidates_the_live_schema_and_a_no_op_run_does_not()
    {
        var db = await CreateDatabaseAsync();
        var ledger = Ledgers.Numbered("m", 1);
        await MigrationRunner.MigrateAsync(db, ledger);
        await MigrationRunner.MigrateAsync(db, ledger);

        Assert.Equal(1, db switch { SqliteTestDatabase s => s.Invalidations, PostgresTestDatabase p => p.Invalidations, _ => -1 });
    }

    [SkippableFact]
    public async Task Concurrent_runners_wait_for_a_non_transactional_migration_in_progress()
    {
        var db = await CreateDatabaseAsync();
        var ledger = new MigrationLedger("m",
        [
            Ledgers.Step("m", 1),
            // The second statement keeps the migration running long enough for the other runners to find it "started".
            new MigrationEntry(2, "index notes", NonTransactionalIndexPostgres + " SELECT pg_sleep(0.5);",
                "CREATE INDEX m_t1_note ON m_t1 (note); WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c;",
                transactional: false),
            Ledgers.Step("m", 3),
        ]);
        using var start = new ManualResetEventSlim();

        var runners = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await MigrationRunner.MigrateAsync(db, ledger);
        })).ToArray();
        start.Set();
        var reports = await Task.WhenAll(runners);

        Assert.Equal([1L, 2L, 3L], reports.SelectMany(r => r.Applied).Select(a => a.Version).Order());
        Assert.Equal(Sql.ExpectedLedger(ledger, db.Dialect), await Sql.LedgerAsync(db, "m"));
    }

    protected virtual string NonTransactionalIndexPostgres => "CREATE INDEX CONCURRENTLY m_t1_note ON m_t1 (note);";
}

public sealed class SqliteRunnerTests : RunnerContractTests
{
    protected override Task<ISqlConnectionFactory> CreateDatabaseAsync() => Task.FromResult<ISqlConnectionFactory>(SqliteTestDatabase.Create());
}

public sealed class PostgresRunnerTests : RunnerContractTests, IAsyncLifetime
{
    private readonly List<PostgresTestDatabase> _databases = [];

    protected override async Task<ISqlConnectionFactory> CreateDatabaseAsync()
    {
        var db = await PostgresServer.CreateDatabaseAsync();
        _databases.Add(db);
        return db;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var db in _databases)
        {
            await db.DisposeAsync();
            await PostgresServer.DropDatabaseAsync(db);
        }
    }
}
