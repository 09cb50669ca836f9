using Prxy.Typed;

namespace Prxy.Gateway.RateLimit;

/// <summary>The rate limiter: a fixed window per API key, counted in the KV store.</summary>
[PrxyModule("rate-limit")]
public static partial class RateLimitModule;

/// <summary>The limit of one API key; keys without a row get the default.</summary>
[Table("rate_limit_policies")]
public sealed partial record RateLimitPolicy
{
    [PrimaryKey] public required string ApiKey { get; init; }
    public int RequestsPerWindow { get; init; }
    public int WindowSeconds { get; init; }
    public string? Plan { get; init; }
}

[Migration(1, "create rate limit policies")]
public static partial class CreatePolicies
{
    public const string Sql = """
        CREATE TABLE rate_limit_policies (
            api_key TEXT PRIMARY KEY,
            requests_per_window INTEGER NOT NULL,
            window_seconds INTEGER NOT NULL
        );
        """;
}

[Migration(2, "name the plan")]
public static partial class AddPlan
{
    public const string Sql = "ALTER TABLE rate_limit_policies ADD COLUMN plan TEXT;";
}
