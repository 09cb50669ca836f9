using System.Data.Common;

namespace Prxy.Typed.Migrations.Tests;

/// <summary>Small raw-SQL helpers the assertions use to look at the database directly.</summary>
public static class Sql
{
    public static async Task<object?> ScalarAsync(ISqlConnectionFactory db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public static async Task ExecuteAsync(ISqlConnectionFactory db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<bool> TableExistsAsync(ISqlConnectionFactory db, string table)
    {
        var sql = db.Dialect == SqlDialectKind.Postgres
            ? $"SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = '{table}'"
            : $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'";
        return Convert.ToInt64(await ScalarAsync(db, sql)) > 0;
    }

    /// <summary>The module's ledger rows as "version|name|checksum|state".</summary>
    public static async Task<List<string>> LedgerAsync(ISqlConnectionFactory db, string module)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version, name, checksum, state FROM prxy_migrations WHERE module = '{module}' ORDER BY version";
        var rows = new List<string>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetInt64(0)}|{reader.GetString(1)}|{reader.GetString(2)}|{reader.GetString(3)}");
        }

        return rows;
    }

    /// <summary>The ledger rows a correct run of <paramref name="ledger"/> leaves.</summary>
    public static List<string> ExpectedLedger(MigrationLedger ledger, SqlDialectKind dialect, params long[] versions)
        => [.. ledger.Where(e => versions.Length == 0 || versions.Contains(e.Version)).Select(e => $"{e.Version}|{e.Name}|{e.ChecksumFor(dialect)}|applied")];

    /// <summary>How many times each version recorded itself in the module's audit table, as "version x count".</summary>
    public static async Task<List<string>> AuditAsync(ISqlConnectionFactory db, string module)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT version, count(*) FROM {module}_audit GROUP BY version ORDER BY version";
        var rows = new List<string>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetInt64(0)}x{reader.GetInt64(1)}");
        }

        return rows;
    }
}
