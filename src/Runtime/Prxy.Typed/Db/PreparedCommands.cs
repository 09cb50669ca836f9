using System.Data.Common;

namespace Prxy.Typed;

/// <summary>
/// The commands kept on one open connection, by SQL text, so each query shape is parsed and planned once per connection
/// instead of once per call (a SQLite command keeps its prepared statements while its text is unchanged). A command is
/// taken out while it runs and put back after, so a nested call of the same shape on the same connection gets a command of
/// its own. Used by one caller at a time, like the connection it belongs to.
/// </summary>
internal sealed class PreparedCommands(DbConnection connection) : IAsyncDisposable
{
    /// <summary>Most commands kept per connection; past it, keeping one more drops another.</summary>
    internal const int Capacity = 64;

    private readonly Dictionary<string, DbCommand> _idle = new(StringComparer.Ordinal);

    /// <summary>The connection the commands run on.</summary>
    public DbConnection Connection { get; } = connection;

    /// <summary>How many commands are kept (for tests).</summary>
    public int Count => _idle.Count;

    /// <summary>The kept command for <paramref name="sql"/>, or a new one on this connection.</summary>
    public DbCommand Take(string sql)
    {
        if (_idle.Remove(sql, out var command))
        {
            return command;
        }

        // Prepared explicitly: a SQLite command that was not keeps no statements between executions.
        command = Connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            command.Prepare();
        }
        catch
        {
            command.Dispose(); // e.g. a table that does not exist yet: the caller gets the error, nothing is kept
            throw;
        }

        return command;
    }

    /// <summary>Keeps <paramref name="command"/> for the next call of its shape (dropping another when full), or disposes it when one is already kept.</summary>
    public void Return(DbCommand command)
    {
        if (!_idle.TryAdd(command.CommandText, command))
        {
            command.Dispose();
            return;
        }

        if (_idle.Count > Capacity)
        {
            foreach (var (sql, other) in _idle)
            {
                if (!ReferenceEquals(other, command))
                {
                    _idle.Remove(sql);
                    other.Dispose();
                    break;
                }
            }
        }
    }

    /// <summary>Disposes the kept commands, then the connection.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var command in _idle.Values)
        {
            command.Dispose();
        }

        _idle.Clear();
        return Connection.DisposeAsync();
    }
}
