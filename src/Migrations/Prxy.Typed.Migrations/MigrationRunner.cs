using System.Data.Common;
using System.Diagnostics;
using Prxy.Typed.Migrations.Dialects;

namespace Prxy.Typed.Migrations;

/// <summary>
/// Applies a module's pending migrations: every migration of the ledger whose version the database has not
/// recorded (a set difference, so a gap filled by a later build is applied too). Safe to call from many
/// processes at once: PostgreSQL serialises runners of a module on a session advisory lock, SQLite on
/// <c>BEGIN IMMEDIATE</c>; the applied set is read after the lock is taken.
/// </summary>
public static class MigrationRunner
{
    private const string Applied = "applied";
    private const string Started = "started";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Applies the pending migrations of <paramref name="ledger"/>.</summary>
    /// <exception cref="MigrationException">A migration failed (nothing of it was committed), an applied migration's
    /// text changed, or a non-transactional migration was left unfinished.</exception>
    public static Task<MigrationReport> MigrateAsync(ISqlConnectionFactory database, MigrationLedger ledger, CancellationToken cancellationToken = default)
        => MigrateAsync(database, ledger, MigrationRunnerOptions.Default, cancellationToken);

    /// <summary>Applies the pending migrations of <paramref name="ledger"/> with <paramref name="options"/>.</summary>
    /// <exception cref="MigrationException">A migration failed (nothing of it was committed), an applied migration's
    /// text changed, or a non-transactional migration was left unfinished.</exception>
    public static async Task<MigrationReport> MigrateAsync(
        ISqlConnectionFactory database, MigrationLedger ledger, MigrationRunnerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(options);
        var dialect = LedgerDialect.For(database.Dialect);
        var module = ledger.ModuleId;
        var applied = new List<AppliedMigration>();
        var knownBefore = new HashSet<long>();
        IReadOnlyList<LedgerRow> rows = [];
        var unfinishedWait = new Stopwatch();

        await using (var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        {
            await dialect.EnsureLedgerTableAsync(connection, cancellationToken).ConfigureAwait(false);
            await using var moduleLock = await dialect.LockModuleAsync(connection, module, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var transaction = await dialect.BeginStepAsync(connection, cancellationToken).ConfigureAwait(false);
                try
                {
                    rows = await ReadRowsAsync(connection, transaction, module, cancellationToken).ConfigureAwait(false);
                    var status = Classify(ledger, rows, dialect.Kind);
                    if (status.Unfinished.Count > 0 && !dialect.HoldsModuleLock && unfinishedWait.Elapsed < options.UnfinishedMigrationWait)
                    {
                        // Without a session lock (SQLite) a "started" row may belong to a runner that is still running it.
                        await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                        unfinishedWait.Start();
                        await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    ThrowIfBlocked(module, dialect.Kind, status);
                    if (applied.Count == 0)
                    {
                        knownBefore.UnionWith(status.Applied.Select(r => r.Version));
                    }

                    if (status.Pending.Count == 0)
                    {
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        break;
                    }

                    var next = status.Pending[0];
                    var duration = next.Transactional
                        ? await ApplyInTransactionAsync(connection, transaction, dialect, module, next, cancellationToken).ConfigureAwait(false)
                        : await ApplyWithoutTransactionAsync(connection, transaction, dialect, module, next, cancellationToken).ConfigureAwait(false);
                    transaction = null;
                    applied.Add(new AppliedMigration(next.Version, next.Name, duration));
                }
                finally
                {
                    if (transaction is not null)
                    {
                        await transaction.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
        }

        if (applied.Count > 0)
        {
            database.InvalidateSchema();
        }

        var appliedNow = applied.Select(a => a.Version).ToHashSet();
        var final = Classify(ledger, rows, dialect.Kind);
        return new MigrationReport(
            module,
            applied,
            [.. final.Applied.Select(r => r.Version).Where(v => !appliedNow.Contains(v))],
            final.AppliedByNewerBuild);
    }

    /// <summary>Reads which migrations of <paramref name="ledger"/> are applied, pending, drifted or unfinished; changes nothing.</summary>
    public static async Task<MigrationStatus> GetStatusAsync(ISqlConnectionFactory database, MigrationLedger ledger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(ledger);
        var dialect = LedgerDialect.For(database.Dialect);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var rows = await dialect.LedgerTableExistsAsync(connection, cancellationToken).ConfigureAwait(false)
            ? await ReadRowsAsync(connection, null, ledger.ModuleId, cancellationToken).ConfigureAwait(false)
            : [];
        return Classify(ledger, rows, dialect.Kind);
    }

    private static MigrationStatus Classify(MigrationLedger ledger, IReadOnlyList<LedgerRow> rows, SqlDialectKind dialect)
    {
        var byVersion = rows.ToDictionary(r => r.Version);
        var applied = new List<LedgerRow>();
        var pending = new List<MigrationEntry>();
        var drift = new List<MigrationDrift>();
        foreach (var entry in ledger)
        {
            if (!byVersion.TryGetValue(entry.Version, out var row))
            {
                pending.Add(entry);
            }
            else if (!string.Equals(row.Checksum, entry.ChecksumFor(dialect), StringComparison.Ordinal))
            {
                drift.Add(new MigrationDrift(entry.Version, entry.Name, entry.ChecksumFor(dialect), row.Checksum));
            }
            else if (row.IsFinished)
            {
                applied.Add(row);
            }
        }

        return new MigrationStatus(
            ledger.ModuleId,
            applied,
            pending,
            drift,
            [.. rows.Where(r => !r.IsFinished)],
            [.. rows.Where(r => r.IsFinished && ledger.Find(r.Version) is null)]);
    }

    private static void ThrowIfBlocked(string module, SqlDialectKind dialect, MigrationStatus status)
    {
        if (status.Drift.Count > 0)
        {
            var d = status.Drift[0];
            throw new MigrationException(module, d.Version,
                $"Module '{module}': migration {d.Version} ('{d.Name}') was applied with checksum {d.DatabaseChecksum}, but this build's " +
                $"{dialect} text has checksum {d.LedgerChecksum}. Applied migrations must not change: restore the original text and " +
                "add a new migration for the change." +
                (status.Drift.Count > 1 ? $" Also changed: {string.Join(", ", status.Drift.Skip(1).Select(x => x.Version))}." : string.Empty));
        }

        if (status.Unfinished.Count > 0)
        {
            var u = status.Unfinished[0];
            throw new MigrationException(module, u.Version,
                $"Module '{module}': non-transactional migration {u.Version} ('{u.Name}') was started at {u.AppliedAt:O} and never finished " +
                "(the process stopped or a statement failed), so it may be partly applied. Check which of its statements took effect " +
                "(for CREATE INDEX CONCURRENTLY, an INVALID index: drop it), then either delete the row to run it again " +
                $"(DELETE FROM prxy_migrations WHERE module = '{module}' AND version = {u.Version}) or, if it fully took effect, " +
                $"mark it finished (UPDATE prxy_migrations SET state = 'applied' WHERE module = '{module}' AND version = {u.Version}).");
        }
    }

    private static async Task<TimeSpan> ApplyInTransactionAsync(
        DbConnection connection, DbTransaction transaction, LedgerDialect dialect, string module, MigrationEntry entry, CancellationToken cancellationToken)
    {
        await using var _ = transaction;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = entry.SqlFor(dialect.Kind);
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            stopwatch.Stop();
            await InsertRowAsync(connection, transaction, dialect, module, entry, Applied, stopwatch.ElapsedMilliseconds, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await TryRollbackAsync(transaction).ConfigureAwait(false);
            throw new MigrationException(module, entry.Version,
                $"Module '{module}': migration {entry.Version} ('{entry.Name}') failed on {dialect.Kind} and was rolled back " +
                $"(neither its changes nor its ledger row were committed): {ex.Message}", ex);
        }

        return stopwatch.Elapsed;
    }

    private static async Task<TimeSpan> ApplyWithoutTransactionAsync(
        DbConnection connection, DbTransaction transaction, LedgerDialect dialect, string module, MigrationEntry entry, CancellationToken cancellationToken)
    {
        // Record "started" and commit first, so a crash mid-way leaves a row that blocks the module until someone checks.
        await using (transaction)
        {
            await InsertRowAsync(connection, transaction, dialect, module, entry, Started, 0, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var stopwatch = Stopwatch.StartNew();
        var statements = SqlScript.Split(entry.SqlFor(dialect.Kind));
        for (var i = 0; i < statements.Count; i++)
        {
            try
            {
                await using var command = connection.CreateCommand();
                command.CommandText = statements[i];
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new MigrationException(module, entry.Version,
                    $"Module '{module}': non-transactional migration {entry.Version} ('{entry.Name}') failed at statement {i + 1} of {statements.Count} " +
                    $"on {dialect.Kind}: {ex.Message}. Statements before it stayed applied and the ledger row stays 'started', which blocks the " +
                    "module until you check the database and delete or finish that row.", ex);
            }
        }

        stopwatch.Stop();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE prxy_migrations SET state = @state, execution_ms = @ms WHERE module = @module AND version = @version";
            AddParameter(command, "@state", Applied);
            AddParameter(command, "@ms", stopwatch.ElapsedMilliseconds);
            AddParameter(command, "@module", module);
            AddParameter(command, "@version", entry.Version);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return stopwatch.Elapsed;
    }

    private static async Task InsertRowAsync(
        DbConnection connection, DbTransaction transaction, LedgerDialect dialect, string module, MigrationEntry entry, string state, long executionMs, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO prxy_migrations (module, version, name, checksum, applied_at, execution_ms, state) " +
                              "VALUES (@module, @version, @name, @checksum, @applied_at, @ms, @state)";
        AddParameter(command, "@module", module);
        AddParameter(command, "@version", entry.Version);
        AddParameter(command, "@name", entry.Name);
        AddParameter(command, "@checksum", entry.ChecksumFor(dialect.Kind));
        AddParameter(command, "@applied_at", dialect.Timestamp(DateTimeOffset.UtcNow));
        AddParameter(command, "@ms", executionMs);
        AddParameter(command, "@state", state);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<LedgerRow>> ReadRowsAsync(DbConnection connection, DbTransaction? transaction, string module, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version, name, checksum, applied_at, execution_ms, state FROM prxy_migrations WHERE module = @module ORDER BY version";
        AddParameter(command, "@module", module);
        var rows = new List<LedgerRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new LedgerRow(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                LedgerDialect.ReadTimestamp(reader.GetValue(3)),
                reader.GetInt64(4),
                string.Equals(reader.GetString(5), Applied, StringComparison.Ordinal)));
        }

        return rows;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static async Task TryRollbackAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (DbException)
        {
            // The connection is gone; the server rolled the transaction back with it.
        }
        catch (InvalidOperationException)
        {
            // Already completed.
        }
    }
}
