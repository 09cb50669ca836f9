using Prxy.Typed;
using Prxy.Gateway;

namespace Prxy.Gateway.SemanticCache;

/// <summary>The semantic cache: answers a prompt from a previous, similar enough prompt's response.</summary>
[PrxyModule("semantic-cache")]
public static partial class SemanticCacheModule;

/// <summary>One cached completion; the response body itself is archived as a blob.</summary>
[Table("semantic_cache")]
public sealed partial record CachedResponse
{
    [PrimaryKey] public required Guid Id { get; init; }
    public required string Model { get; init; }
    public required string Prompt { get; init; }
    [Vector(Embedder.Dimensions)] public required float[] Embedding { get; init; }
    public required string BlobKey { get; init; }
    public int ResponseBytes { get; init; }
    public long Hits { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

[Migration(1, "create semantic cache")]
public static partial class CreateSemanticCache
{
    public const string Postgres = """
        CREATE TABLE semantic_cache (
            id uuid PRIMARY KEY,
            model text NOT NULL,
            prompt text NOT NULL,
            embedding vector(64) NOT NULL,
            blob_key text NOT NULL,
            hits bigint NOT NULL DEFAULT 0,
            created_at timestamptz NOT NULL
        );
        CREATE INDEX semantic_cache_embedding ON semantic_cache USING hnsw (embedding vector_cosine_ops);
        """;

    public const string Sqlite = """
        CREATE TABLE semantic_cache (
            id TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            prompt TEXT NOT NULL,
            embedding BLOB NOT NULL,
            blob_key TEXT NOT NULL,
            hits INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL
        );
        """;
}

[Migration(2, "record response size")]
public static partial class AddResponseBytes
{
    public const string Postgres = "ALTER TABLE semantic_cache ADD COLUMN response_bytes integer NOT NULL DEFAULT 0;";
    public const string Sqlite = "ALTER TABLE semantic_cache ADD COLUMN response_bytes INTEGER NOT NULL DEFAULT 0;";
}
