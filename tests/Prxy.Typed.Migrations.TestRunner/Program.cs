using Npgsql;
using Prxy.Typed;
using Prxy.Typed.Migrations;
using Prxy.Typed.Migrations.Tests;

// Usage: <sqlite|postgres> <database path | connection string> <numbered|slow> <module> [sleep seconds] [sleep marker file]
// Prints "ready", waits for a line on stdin (so several processes start migrating together), runs the module's
// migrations once and prints "applied=<versions> already=<versions>". Exit code 2 on a MigrationException.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: <sqlite|postgres> <path|connection string> <numbered|slow> <module> [sleep seconds] [marker]");
    return 64;
}

var sleepSeconds = args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 0;
var marker = args.Length > 5 ? args[5] : null;
var ledger = args[2] == "slow" ? Ledgers.Slow(args[3]) : Ledgers.Numbered(args[3], 1, 2, 3, 4, 5, 6);

ISqlConnectionFactory database;
if (args[0] == "sqlite")
{
    database = new SqliteTestDatabase(args[1], sleepSeconds * 1000, marker);
}
else
{
    // The sleep setting drives the slow migration's pg_sleep; the check interval lets the server notice a killed client.
    var builder = new NpgsqlConnectionStringBuilder(args[1])
    {
        Options = $"-c prxy.test_sleep={sleepSeconds} -c client_connection_check_interval=100",
    };
    database = new PostgresTestDatabase(builder.ConnectionString);
}

Console.WriteLine("ready");
Console.Out.Flush();
Console.In.ReadLine();
try
{
    var report = await MigrationRunner.MigrateAsync(database, ledger);
    Console.WriteLine($"applied={string.Join(",", report.Applied.Select(a => a.Version))} already={string.Join(",", report.AlreadyApplied)}");
    return 0;
}
catch (MigrationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
