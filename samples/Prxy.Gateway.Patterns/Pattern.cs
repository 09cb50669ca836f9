using Prxy.Typed;
using Prxy.Gateway;

namespace Prxy.Gateway.Patterns;

/// <summary>The patterns module: remembers problems and the solutions that worked, and finds them again by meaning.</summary>
[PrxyModule("patterns")]
public static partial class PatternsModule;

/// <summary>A solved problem, searchable by the embedding of its text.</summary>
[Table("patterns")]
public sealed partial record Pattern
{
    [PrimaryKey] public required string Id { get; init; }
    public string? UserId { get; init; }
    public required string Problem { get; init; }
    public required string Solution { get; init; }
    [Json(Context = typeof(PatternsJson))] public IReadOnlyList<string>? Tags { get; init; }
    [Vector(Embedder.Dimensions)] public float[]? Embedding { get; init; }
    public double SuccessRate { get; init; } = 1.0;
    public long AppliedCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Source-generated JSON for the module's <c>[Json]</c> columns: no reflection, so the gateway publishes with Native AOT.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class PatternsJson : System.Text.Json.Serialization.JsonSerializerContext;

[Migration(1, "create patterns")]
public static partial class CreatePatterns
{
    public const string Postgres = """
        CREATE TABLE patterns (
            id text PRIMARY KEY,
            user_id text,
            problem text NOT NULL,
            solution text NOT NULL,
            tags jsonb,
            embedding vector(64),
            applied_count bigint NOT NULL DEFAULT 0,
            created_at timestamptz NOT NULL
        );
        CREATE INDEX patterns_embedding ON patterns USING hnsw (embedding vector_cosine_ops);
        CREATE INDEX patterns_user ON patterns (user_id);
        """;

    public const string Sqlite = """
        CREATE TABLE patterns (
            id TEXT PRIMARY KEY,
            user_id TEXT,
            problem TEXT NOT NULL,
            solution TEXT NOT NULL,
            tags TEXT,
            embedding BLOB,
            applied_count INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX patterns_user ON patterns (user_id);
        """;
}

[Migration(2, "track success rate")]
public static partial class AddSuccessRate
{
    public const string Postgres = "ALTER TABLE patterns ADD COLUMN success_rate double precision NOT NULL DEFAULT 1.0;";
    public const string Sqlite = "ALTER TABLE patterns ADD COLUMN success_rate REAL NOT NULL DEFAULT 1.0;";
}
