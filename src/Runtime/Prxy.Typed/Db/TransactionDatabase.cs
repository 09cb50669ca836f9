using System.Data.Common;

namespace Prxy.Typed;

/// <summary>
/// The database handed to <see cref="IDatabase.TransactionAsync{TResult}"/>'s callback: every call runs on the transaction's
/// connection, one at a time (a connection runs one command at a time). Nested transactions join this one.
/// </summary>
internal sealed class TransactionDatabase : SqlDatabase
{
    private readonly SqlDatabase _parent;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;
    private readonly PreparedCommands? _commands;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Func<ConnectionLease, ValueTask> _release;
    private volatile bool _closed;

    public TransactionDatabase(SqlDatabase parent, DbConnection connection, DbTransaction transaction, PreparedCommands? commands)
        : base(parent.Dialect, parent.Options)
    {
        _parent = parent;
        _connection = connection;
        _transaction = transaction;
        _commands = commands;
        _release = Release;
    }

    public void Close() => _closed = true;

    internal override SqlDatabase Root => _parent.Root;

    internal override string VectorBackend => _parent.VectorBackend;

    internal override string? VectorDistanceSql(string quotedColumn, string placeholder) => _parent.VectorDistanceSql(quotedColumn, placeholder);

    internal override Task<DbResult<IReadOnlyList<Scored<T>>>> VectorSearchAsync<T>(SqlDatabase executor, VectorSearch search, CancellationToken cancellationToken)
        => _parent.VectorSearchAsync<T>(executor, search, cancellationToken);

    public override ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) => _parent.OpenConnectionAsync(cancellationToken);

    public override void InvalidateSchema() => _parent.InvalidateSchema();

    internal override Task<DbResult<LiveSchema>> GetLiveSchemaAsync(CancellationToken cancellationToken) => _parent.GetLiveSchemaAsync(cancellationToken);

    public override async Task<DbResult<TResult>> TransactionAsync<TResult>(Func<IDatabase, Task<DbResult<TResult>>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return await work(this).ConfigureAwait(false);
    }

    private protected override async ValueTask<ConnectionLease> AcquireAsync(bool write, bool shape, CancellationToken cancellationToken)
    {
        if (_closed)
        {
            throw new InvalidQueryException("the transaction has already ended; use the database the callback received only inside the callback.");
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ConnectionLease(_connection, _transaction, _commands, _release);
    }

    private ValueTask Release(ConnectionLease lease)
    {
        _gate.Release();
        return ValueTask.CompletedTask;
    }
}
