using System.Diagnostics;

namespace Prxy.Typed.Migrations.Tests;

/// <summary>Runners in separate OS processes: four at once, and one killed with SIGKILL in the middle of a migration.</summary>
public abstract class ProcessTests
{
    private static readonly string RunnerDll = Path.Combine(
        AppContext.BaseDirectory.Replace("Prxy.Typed.Migrations.Tests" + Path.DirectorySeparatorChar + "bin", "Prxy.Typed.Migrations.TestRunner" + Path.DirectorySeparatorChar + "bin", StringComparison.Ordinal),
        "Prxy.Typed.Migrations.TestRunner.dll");

    /// <summary>The database to use, the runner's dialect argument and its database argument.</summary>
    protected abstract Task<(ISqlConnectionFactory Db, string Dialect, string Target)> CreateDatabaseAsync();

    /// <summary>Waits until the killed runner is inside the slow migration.</summary>
    protected abstract Task WaitUntilSleepingAsync(ISqlConnectionFactory db, string marker);

    [SkippableFact]
    public async Task Four_processes_apply_each_migration_exactly_once()
    {
        var (db, dialect, target) = await CreateDatabaseAsync();
        var processes = Enumerable.Range(0, 4).Select(_ => Start(dialect, target, "numbered", "p")).ToList();
        try
        {
            foreach (var process in processes)
            {
                Assert.Equal("ready", await process.StandardOutput.ReadLineAsync());
            }

            foreach (var process in processes)
            {
                await process.StandardInput.WriteLineAsync("go");
                await process.StandardInput.FlushAsync();
            }

            var outputs = new List<string>();
            foreach (var process in processes)
            {
                var output = await process.StandardOutput.ReadToEndAsync();
                var error = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(process.ExitCode == 0, $"runner exited with {process.ExitCode}: {output} {error}");
                outputs.Add(output.Trim());
            }

            var applied = outputs.SelectMany(o => o.Split(' ')[0]["applied=".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(long.Parse).Order();
            Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], applied);
            var ledger = Ledgers.Numbered("p", 1, 2, 3, 4, 5, 6);
            Assert.Equal(Sql.ExpectedLedger(ledger, db.Dialect), await Sql.LedgerAsync(db, "p"));
            Assert.Equal(["1x1", "2x1", "3x1", "4x1", "5x1", "6x1"], await Sql.AuditAsync(db, "p"));
        }
        finally
        {
            foreach (var process in processes)
            {
                KillQuietly(process);
            }
        }
    }

    [SkippableFact]
    public async Task Runner_killed_in_the_middle_of_a_migration_leaves_a_database_the_next_run_converges()
    {
        var (db, dialect, target) = await CreateDatabaseAsync();
        var marker = Path.Combine(Path.GetTempPath(), "prxy-mig-tests", Guid.NewGuid().ToString("N") + ".sleeping");
        using var victim = Start(dialect, target, "slow", "k", sleepSeconds: 60, marker);
        try
        {
            Assert.Equal("ready", await victim.StandardOutput.ReadLineAsync());
            await victim.StandardInput.WriteLineAsync("go");
            await victim.StandardInput.FlushAsync();
            await WaitUntilSleepingAsync(db, marker);
        }
        finally
        {
            victim.Kill(); // SIGKILL: no finally blocks, no rollback from the client
        }

        await victim.WaitForExitAsync();
        var ledger = Ledgers.Slow("k");
        Assert.Equal(Sql.ExpectedLedger(ledger, db.Dialect, 1), await Sql.LedgerAsync(db, "k"));

        var report = await MigrationRunner.MigrateAsync(db, ledger).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([2L, 3L], report.Applied.Select(a => a.Version));
        Assert.Equal([1L], report.AlreadyApplied);
        Assert.Equal(Sql.ExpectedLedger(ledger, db.Dialect), await Sql.LedgerAsync(db, "k"));
        Assert.Equal(["1x1", "2x1", "3x1"], await Sql.AuditAsync(db, "k"));
    }

    private static Process Start(string dialect, string target, string ledger, string module, int sleepSeconds = 0, string? marker = null)
    {
        Skip.IfNot(File.Exists(RunnerDll), $"The test runner was not built at {RunnerDll}.");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "exec", RunnerDll, dialect, target, ledger, module, sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        if (marker is not null)
        {
            info.ArgumentList.Add(marker);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the test runner.");
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        process.Dispose();
    }

    protected static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}

public sealed class SqliteProcessTests : ProcessTests
{
    protected override Task<(ISqlConnectionFactory Db, string Dialect, string Target)> CreateDatabaseAsync()
    {
        var db = SqliteTestDatabase.Create();
        return Task.FromResult<(ISqlConnectionFactory, string, string)>((db, "sqlite", db.FilePath));
    }

    protected override Task WaitUntilSleepingAsync(ISqlConnectionFactory db, string marker)
        => WaitForAsync(() => Task.FromResult(File.Exists(marker)), "the runner to enter the slow migration");
}

public sealed class PostgresProcessTests : ProcessTests, IAsyncLifetime
{
    private readonly List<PostgresTestDatabase> _databases = [];

    protected override async Task<(ISqlConnectionFactory Db, string Dialect, string Target)> CreateDatabaseAsync()
    {
        var db = await PostgresServer.CreateDatabaseAsync();
        _databases.Add(db);
        return (db, "postgres", db.ConnectionString);
    }

    protected override Task WaitUntilSleepingAsync(ISqlConnectionFactory db, string marker)
        => WaitForAsync(
            async () => Convert.ToInt64(await Sql.ScalarAsync(db,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(coalesce%' AND pid <> pg_backend_pid()")) > 0,
            "the runner to enter the slow migration");

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
