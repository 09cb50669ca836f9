using System.Collections;

namespace Prxy.Typed.Migrations;

/// <summary>One forward-only migration of a module, with its SQL and checksum for every dialect.</summary>
public sealed class MigrationEntry
{
    /// <summary>Creates an entry; the checksums are computed from the text.</summary>
    /// <param name="version">Positive, unique within the module.</param>
    /// <param name="name">A short description kept in the ledger.</param>
    /// <param name="postgres">The PostgreSQL text.</param>
    /// <param name="sqlite">The SQLite text.</param>
    /// <param name="transactional">False for statements that cannot run inside a transaction.</param>
    public MigrationEntry(long version, string name, string postgres, string sqlite, bool transactional = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(postgres);
        ArgumentException.ThrowIfNullOrWhiteSpace(sqlite);
        Version = version;
        Name = name;
        Postgres = postgres;
        Sqlite = sqlite;
        Transactional = transactional;
        PostgresChecksum = MigrationChecksum.Compute(postgres);
        SqliteChecksum = MigrationChecksum.Compute(sqlite);
    }

    /// <summary>The version, unique within the module.</summary>
    public long Version { get; }

    /// <summary>The short description kept in the ledger.</summary>
    public string Name { get; }

    /// <summary>The PostgreSQL text.</summary>
    public string Postgres { get; }

    /// <summary>The SQLite text.</summary>
    public string Sqlite { get; }

    /// <summary>False when the migration runs outside a transaction (recorded as started, then finished).</summary>
    public bool Transactional { get; }

    /// <summary>Checksum of <see cref="Postgres"/>.</summary>
    public string PostgresChecksum { get; }

    /// <summary>Checksum of <see cref="Sqlite"/>.</summary>
    public string SqliteChecksum { get; }

    /// <summary>The text for <paramref name="dialect"/>.</summary>
    public string SqlFor(SqlDialectKind dialect) => dialect == SqlDialectKind.Postgres ? Postgres : Sqlite;

    /// <summary>The checksum for <paramref name="dialect"/>.</summary>
    public string ChecksumFor(SqlDialectKind dialect) => dialect == SqlDialectKind.Postgres ? PostgresChecksum : SqliteChecksum;

    /// <inheritdoc />
    public override string ToString() => $"v{Version} '{Name}'";
}

/// <summary>A module's migrations in version order; the generator builds it from the module's <c>[Migration]</c> classes.</summary>
public sealed class MigrationLedger : IReadOnlyList<MigrationEntry>
{
    private readonly MigrationEntry[] _entries;

    /// <summary>Creates a ledger; versions must be unique.</summary>
    /// <param name="moduleId">The module id that namespaces the ledger rows.</param>
    /// <param name="entries">The migrations, in any order.</param>
    public MigrationLedger(string moduleId, IEnumerable<MigrationEntry> entries)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(moduleId);
        ArgumentNullException.ThrowIfNull(entries);
        ModuleId = moduleId;
        _entries = [.. entries.OrderBy(e => e.Version)];
        for (var i = 1; i < _entries.Length; i++)
        {
            if (_entries[i].Version == _entries[i - 1].Version)
            {
                throw new ArgumentException(
                    $"Module '{moduleId}' declares migration version {_entries[i].Version} twice ('{_entries[i - 1].Name}' and '{_entries[i].Name}'); versions must be unique.",
                    nameof(entries));
            }
        }
    }

    /// <summary>The module id.</summary>
    public string ModuleId { get; }

    /// <inheritdoc />
    public int Count => _entries.Length;

    /// <inheritdoc />
    public MigrationEntry this[int index] => _entries[index];

    /// <summary>The entry with <paramref name="version"/>, or null.</summary>
    public MigrationEntry? Find(long version) => Array.Find(_entries, e => e.Version == version);

    /// <inheritdoc />
    public IEnumerator<MigrationEntry> GetEnumerator() => ((IEnumerable<MigrationEntry>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
