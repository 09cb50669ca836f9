namespace Prxy.Typed.Migrations;

/// <summary>Settings of <see cref="MigrationRunner"/>; the defaults suit start-up use.</summary>
public sealed record MigrationRunnerOptions
{
    /// <summary>The defaults.</summary>
    public static MigrationRunnerOptions Default { get; } = new();

    /// <summary>
    /// SQLite only: how long a runner waits when it finds a non-transactional migration marked "started", which
    /// may be another runner's migration in progress, before it reports the migration as unfinished. PostgreSQL
    /// holds the module lock for the whole run, so there a "started" row is abandoned and reported at once.
    /// </summary>
    public TimeSpan UnfinishedMigrationWait { get; init; } = TimeSpan.FromSeconds(30);
}
