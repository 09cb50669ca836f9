namespace Prxy.Typed.Generators.Tests.Modules;

/// <summary>Source texts for the module generator tests.</summary>
internal static class ModuleSources
{
    public const string Module = """
        [PrxyModule("patterns")]
        public static partial class PatternsModule;
        """;

    public const string CreatePatterns = """"
        [Migration(1, "create patterns")]
        public static partial class CreatePatterns
        {
            public const string Postgres = """
                CREATE EXTENSION IF NOT EXISTS vector;
                CREATE TABLE patterns (
                    id text PRIMARY KEY,
                    user_id text,
                    problem text NOT NULL,
                    tags jsonb,
                    embedding vector(3),
                    applied_count bigint NOT NULL DEFAULT 0,
                    created_at timestamptz NOT NULL
                );
                CREATE INDEX patterns_embedding ON patterns USING hnsw (embedding vector_cosine_ops);
                """;
            public const string Sqlite = """
                CREATE TABLE patterns (id TEXT PRIMARY KEY, user_id TEXT, problem TEXT NOT NULL, tags TEXT, embedding BLOB,
                    applied_count INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
                """;
        }
        """";

    public const string AddSuccessRate = """
        [Migration(2, "add success rate")]
        public static partial class AddSuccessRate
        {
            public const string Postgres = "ALTER TABLE patterns ADD COLUMN success_rate double precision NOT NULL DEFAULT 1.0;";
            public const string Sqlite = "ALTER TABLE patterns ADD COLUMN success_rate REAL NOT NULL DEFAULT 1.0;";
        }
        """;

    public const string IndexUser = """
        [Migration(3, "index user", Transactional = false)]
        public static partial class IndexUser
        {
            public const string Postgres = "CREATE INDEX CONCURRENTLY patterns_user ON patterns (user_id);";
            public const string Sqlite = "CREATE INDEX patterns_user ON patterns (user_id);";
        }
        """;

    public const string Pattern = """
        [Table("patterns")]
        public sealed partial record Pattern
        {
            [PrimaryKey] public required string Id { get; init; }
            public string? UserId { get; init; }
            public required string Problem { get; init; }
            [Json] public IReadOnlyList<string>? Tags { get; init; }
            [Vector(3)] public float[]? Embedding { get; init; }
            public double SuccessRate { get; init; } = 1.0;
            public long AppliedCount { get; init; }
            public DateTimeOffset CreatedAt { get; init; }
        }
        """;

    public static string File(params string[] parts) =>
        "using System;\nusing System.Collections.Generic;\nusing Prxy.Typed;\n\nnamespace Sample;\n\n" + string.Join("\n\n", parts) + "\n";

    public static string Complete => File(Module, CreatePatterns, AddSuccessRate, IndexUser, Pattern);
}
