using System.Diagnostics;

namespace Prxy.Typed.Migrations.Tests;

/// <summary>The prxy-typed tool, run on this test assembly's generated module against a SQLite file.</summary>
public sealed class ToolTests
{
    private static readonly string ToolDll = FindToolDll();

    [SkippableFact]
    public async Task Status_then_migrate_then_status()
    {
        Skip.IfNot(File.Exists(ToolDll), $"The tool was not built at {ToolDll}.");
        var db = SqliteTestDatabase.Create();
        var module = typeof(TestModule).Assembly.Location;

        var before = await RunAsync("status", "--assembly", module, "--connection", db.FilePath);
        var migrate = await RunAsync("migrate", "--assembly", module, "--connection", db.FilePath);
        var after = await RunAsync("status", "--assembly", module, "--connection", db.FilePath);

        Assert.Equal(3, before.ExitCode);
        Assert.Contains("module migration_tests (Sqlite): not up to date", before.Output, StringComparison.Ordinal);
        Assert.Contains("pending       1  create notes", before.Output, StringComparison.Ordinal);
        Assert.Equal(0, migrate.ExitCode);
        Assert.Contains("applied 2, already applied 0", migrate.Output, StringComparison.Ordinal);
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("applied       2  add notes.score", after.Output, StringComparison.Ordinal);
        Assert.Equal(Sql.ExpectedLedger(TestModule.Ledger, SqlDialectKind.Sqlite), await Sql.LedgerAsync(db, "migration_tests"));
    }

    [SkippableFact]
    public async Task Unknown_command_prints_usage_and_fails()
    {
        Skip.IfNot(File.Exists(ToolDll), $"The tool was not built at {ToolDll}.");

        var result = await RunAsync("upgrade");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("usage: prxy-typed <status|migrate>", result.Error, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(ToolDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await output, await error);
    }

    private static string FindToolDll()
    {
        // <root>/tests/Prxy.Typed.Migrations.Tests/bin/<Configuration>/net10.0/
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!;
        var root = configuration.Parent!.Parent!.Parent!.Parent!;
        return Path.Combine(root.FullName, "src", "Migrations", "Prxy.Typed.Migrations.Tool", "bin", configuration.Name, framework.Name, "Prxy.Typed.Migrations.Tool.dll");
    }
}
