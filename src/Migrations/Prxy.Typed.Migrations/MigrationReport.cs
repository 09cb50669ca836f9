namespace Prxy.Typed.Migrations;

/// <summary>A migration that one <c>MigrateAsync</c> call applied.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">The migration's name.</param>
/// <param name="Duration">How long its SQL and ledger row took.</param>
public sealed record AppliedMigration(long Version, string Name, TimeSpan Duration);

/// <summary>A row of the <c>prxy_migrations</c> ledger table.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">The name recorded when it was applied.</param>
/// <param name="Checksum">The checksum recorded when it was applied.</param>
/// <param name="AppliedAt">When it was applied (or started, while <paramref name="IsFinished"/> is false).</param>
/// <param name="ExecutionMs">How long it took, in milliseconds.</param>
/// <param name="IsFinished">False for a non-transactional migration that was started and never finished.</param>
public sealed record LedgerRow(long Version, string Name, string Checksum, DateTimeOffset AppliedAt, long ExecutionMs, bool IsFinished);

/// <summary>An applied migration whose text changed since it was applied.</summary>
/// <param name="Version">The migration's version.</param>
/// <param name="Name">The migration's name in the ledger.</param>
/// <param name="LedgerChecksum">The checksum of the text this build carries.</param>
/// <param name="DatabaseChecksum">The checksum recorded in the database when it was applied.</param>
public sealed record MigrationDrift(long Version, string Name, string LedgerChecksum, string DatabaseChecksum);

/// <summary>What <c>MigrateAsync</c> did for one module.</summary>
/// <param name="Module">The module id.</param>
/// <param name="Applied">Migrations this call applied, in version order; empty when nothing was pending.</param>
/// <param name="AlreadyApplied">Versions of this build's ledger that were applied before (by earlier runs or by a concurrent runner).</param>
/// <param name="AppliedByNewerBuild">Rows in the database whose version this build does not know (a newer build applied them); tolerated.</param>
public sealed record MigrationReport(
    string Module,
    IReadOnlyList<AppliedMigration> Applied,
    IReadOnlyList<long> AlreadyApplied,
    IReadOnlyList<LedgerRow> AppliedByNewerBuild)
{
    /// <summary>Total time of the applied migrations.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(Applied.Sum(a => a.Duration.Ticks));
}

/// <summary>The state of a module's migrations in a database, read without changing anything.</summary>
/// <param name="Module">The module id.</param>
/// <param name="Applied">Ledger rows of versions this build knows, finished, with the checksum this build expects.</param>
/// <param name="Pending">Migrations of this build that the database has not applied.</param>
/// <param name="Drift">Applied migrations whose text changed since; <c>MigrateAsync</c> refuses to run while any exist.</param>
/// <param name="Unfinished">Non-transactional migrations that were started and never finished; they block the module.</param>
/// <param name="AppliedByNewerBuild">Rows whose version this build does not know.</param>
public sealed record MigrationStatus(
    string Module,
    IReadOnlyList<LedgerRow> Applied,
    IReadOnlyList<MigrationEntry> Pending,
    IReadOnlyList<MigrationDrift> Drift,
    IReadOnlyList<LedgerRow> Unfinished,
    IReadOnlyList<LedgerRow> AppliedByNewerBuild)
{
    /// <summary>True when nothing is pending, drifted or unfinished.</summary>
    public bool IsUpToDate => Pending.Count == 0 && Drift.Count == 0 && Unfinished.Count == 0;
}
