using System.Reflection;
using Microsoft.Data.Sqlite;
using Prxy.Typed;
using Prxy.Typed.Migrations;
using Prxy.Typed.Migrations.Tool;

// prxy-typed <status|migrate> --assembly <Module.dll> --connection <connection string> [--dialect sqlite|postgres]
// Exit codes: 0 done (status: up to date), 1 usage or load error, 2 migration error, 3 status: not up to date.
const string Usage = "usage: prxy-typed <status|migrate> --assembly <Module.dll> --connection <connection string> [--dialect sqlite|postgres]";
if (args.Length == 0 || args[0] is not ("status" or "migrate"))
{
    Console.Error.WriteLine(Usage);
    return 1;
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

var assemblyPath = Option("--assembly");
var connection = Option("--connection");
if (assemblyPath is null || connection is null)
{
    Console.Error.WriteLine(Usage);
    return 1;
}

var dialect = Option("--dialect") switch
{
    null => ConnectionFactory.Infer(connection),
    "sqlite" => SqlDialectKind.Sqlite,
    "postgres" => SqlDialectKind.Postgres,
    var other => throw new ArgumentException($"Unknown dialect '{other}'; use sqlite or postgres."),
};
if (dialect == SqlDialectKind.Sqlite && !connection.Contains('='))
{
    connection = new SqliteConnectionStringBuilder { DataSource = connection }.ToString();
}

MigrationLedger ledger;
try
{
    ledger = ModuleLoader.LoadLedger(Path.GetFullPath(assemblyPath));
}
catch (Exception ex) when (ex is InvalidOperationException or IOException or BadImageFormatException or TargetInvocationException)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

await using var database = new ConnectionFactory(dialect, connection);
try
{
    if (args[0] == "migrate")
    {
        var report = await MigrationRunner.MigrateAsync(database, ledger);
        Console.WriteLine($"module {report.Module} ({dialect}): applied {report.Applied.Count}, already applied {report.AlreadyApplied.Count}");
        foreach (var applied in report.Applied)
        {
            Console.WriteLine($"  applied  {applied.Version,6}  {applied.Name}  ({applied.Duration.TotalMilliseconds:F0} ms)");
        }

        foreach (var row in report.AppliedByNewerBuild)
        {
            Console.WriteLine($"  newer    {row.Version,6}  {row.Name}  (applied by a newer build)");
        }

        return 0;
    }

    var status = await MigrationRunner.GetStatusAsync(database, ledger);
    Console.WriteLine($"module {status.Module} ({dialect}): {(status.IsUpToDate ? "up to date" : "not up to date")}");
    foreach (var row in status.Applied)
    {
        Console.WriteLine($"  applied  {row.Version,6}  {row.Name}  {row.AppliedAt:u}");
    }

    foreach (var entry in status.Pending)
    {
        Console.WriteLine($"  pending  {entry.Version,6}  {entry.Name}");
    }

    foreach (var drift in status.Drift)
    {
        Console.WriteLine($"  drift    {drift.Version,6}  {drift.Name}  database {drift.DatabaseChecksum}, build {drift.LedgerChecksum}");
    }

    foreach (var row in status.Unfinished)
    {
        Console.WriteLine($"  started  {row.Version,6}  {row.Name}  never finished (non-transactional); see docs/migrations.md");
    }

    foreach (var row in status.AppliedByNewerBuild)
    {
        Console.WriteLine($"  newer    {row.Version,6}  {row.Name}  (applied by a newer build)");
    }

    return status.IsUpToDate ? 0 : 3;
}
catch (MigrationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
