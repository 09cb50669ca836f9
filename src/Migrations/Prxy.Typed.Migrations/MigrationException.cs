namespace Prxy.Typed.Migrations;

/// <summary>
/// A module's migrations cannot proceed: a migration failed, an applied migration's text changed, or a
/// non-transactional migration was left unfinished. Migrations run at start-up, where failing loudly is
/// safer than serving requests on a half-migrated schema, so the runner throws instead of returning an error value.
/// </summary>
public sealed class MigrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MigrationException(string module, long? version, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Module = module;
        Version = version;
    }

    /// <summary>The module whose migrations stopped.</summary>
    public string Module { get; }

    /// <summary>The migration version at fault, when one is.</summary>
    public long? Version { get; }
}
