using System.Buffers.Binary;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Prxy.Typed.Migrations.Dialects;

/// <summary>
/// PostgreSQL: a session advisory lock per module, keyed by <see cref="LockKey"/>, held while the module's
/// pending migrations run; each migration and its ledger row commit in one transaction.
/// </summary>
internal sealed class PostgresLedgerDialect : LedgerDialect
{
    public static readonly PostgresLedgerDialect Instance = new();

    // Waiters poll pg_try_advisory_lock instead of blocking in pg_advisory_lock: a blocked statement holds a
    // snapshot, and CREATE INDEX CONCURRENTLY run by the lock holder would wait for that snapshot forever.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public override bool HoldsModuleLock => true;

    public override SqlDialectKind Kind => SqlDialectKind.Postgres;

    /// <summary>
    /// The advisory lock key of a module: the first 8 bytes (big-endian) of SHA-256 over the UTF-8 of
    /// <c>prxy_migrations/</c> followed by the module id. The ledger table's creation uses the key of the
    /// empty module id.
    /// </summary>
    public static long LockKey(string module)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("prxy_migrations/" + module));
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }

    public override async Task EnsureLedgerTableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // CREATE TABLE IF NOT EXISTS is not safe against itself under concurrency (a unique violation on
        // pg_type), so creators serialise on a transaction-scoped advisory lock.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey(string.Empty).ToString(CultureInfo.InvariantCulture)})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS prxy_migrations (
                module       text        NOT NULL,
                version      bigint      NOT NULL,
                name         text        NOT NULL,
                checksum     text        NOT NULL,
                applied_at   timestamptz NOT NULL,
                execution_ms bigint      NOT NULL,
                state        text        NOT NULL DEFAULT 'applied',
                PRIMARY KEY (module, version)
            )
            """, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task<bool> LedgerTableExistsAsync(DbConnection connection, CancellationToken cancellationToken)
        => await ScalarAsync(connection, "SELECT to_regclass('prxy_migrations') IS NOT NULL", cancellationToken).ConfigureAwait(false) is true;

    public override async Task<IAsyncDisposable> LockModuleAsync(DbConnection connection, string module, CancellationToken cancellationToken)
    {
        var key = LockKey(module).ToString(CultureInfo.InvariantCulture);
        while (await ScalarAsync(connection, $"SELECT pg_try_advisory_lock({key})", cancellationToken).ConfigureAwait(false) is not true)
        {
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }

        return new SessionLock(connection, key);
    }

    public override async Task<DbTransaction> BeginStepAsync(DbConnection connection, CancellationToken cancellationToken)
        => await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

    public override object Timestamp(DateTimeOffset value) => value.ToUniversalTime();

    private sealed class SessionLock(DbConnection connection, string key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // A broken connection has lost the session, and the lock with it.
            if (connection.State == ConnectionState.Open)
            {
                await ScalarAsync(connection, $"SELECT pg_advisory_unlock({key})", CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
