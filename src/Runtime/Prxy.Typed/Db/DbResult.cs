namespace Prxy.Typed;

/// <summary>What went wrong with a database call.</summary>
public enum DbErrorKind
{
    /// <summary>The database could not be reached (down, refused, connection lost).</summary>
    Unavailable,
    /// <summary>The command or connection timed out.</summary>
    Timeout,
    /// <summary>A constraint was violated (unique, foreign key, not null, check).</summary>
    Constraint,
    /// <summary>A row the call required was not found (<c>SingleAsync</c> on zero rows).</summary>
    NotFound,
    /// <summary>The query is invalid: unknown table or column, bad identifier, bad argument, SQL error.</summary>
    InvalidQuery,
    /// <summary>More rows than the call allows (<c>SingleAsync</c> on several rows).</summary>
    TooManyRows,
    /// <summary>The call was cancelled by its token.</summary>
    Cancelled,
    /// <summary>A serialization failure or deadlock; retrying may succeed.</summary>
    Conflict,
    /// <summary>Anything else; see <see cref="DbError.Exception"/>.</summary>
    Unknown,
}

/// <summary>A database failure returned as a value.</summary>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Message">A message naming the table, column or statement involved; never contains secrets.</param>
/// <param name="Exception">The provider exception, when there was one.</param>
public sealed record DbError(DbErrorKind Kind, string Message, Exception? Exception = null)
{
    /// <summary>SQLSTATE or SQLite error code, when the provider gave one.</summary>
    public string? Code { get; init; }

    /// <inheritdoc />
    public override string ToString() => Code is null ? $"{Kind}: {Message}" : $"{Kind} ({Code}): {Message}";
}

/// <summary>The outcome of a database call: <see cref="Data"/> on success, <see cref="Error"/> on failure.</summary>
/// <typeparam name="T">The data type.</typeparam>
public readonly struct DbResult<T>
{
    private DbResult(T? data, DbError? error)
    {
        Data = data;
        Error = error;
    }

    /// <summary>The data; <c>default</c> on error (and null for <c>MaybeSingleAsync</c> without a row).</summary>
    public T? Data { get; }

    /// <summary>The error; null on success.</summary>
    public DbError? Error { get; }

    /// <summary>True when <see cref="Error"/> is null.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>A successful result.</summary>
    public static DbResult<T> Success(T data) => new(data, null);

    /// <summary>A failed result.</summary>
    public static DbResult<T> Failure(DbError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(default, error);
    }

    /// <summary>Returns <see cref="Data"/>, or throws <see cref="DbException"/> carrying the error.</summary>
    public T EnsureSuccess() => Error is { } error ? throw new DbException(error) : Data!;

    /// <summary>A failed result.</summary>
    public static implicit operator DbResult<T>(DbError error) => Failure(error);

    /// <inheritdoc />
    public override string ToString() => Error is { } e ? $"Error({e})" : $"Success({Data})";
}

/// <summary>Thrown by <see cref="DbResult{T}.EnsureSuccess"/>.</summary>
public sealed class DbException : Exception
{
    /// <summary>Creates the exception from an error value.</summary>
    public DbException(DbError error) : base(error?.ToString(), error?.Exception)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>The error.</summary>
    public DbError Error { get; }
}

/// <summary>A search hit: the row and its cosine similarity to the query.</summary>
/// <typeparam name="T">The row type.</typeparam>
/// <param name="Data">The row.</param>
/// <param name="Score">Cosine similarity in [-1, 1].</param>
public sealed record Scored<T>(T Data, double Score);
