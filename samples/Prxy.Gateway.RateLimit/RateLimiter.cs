using Prxy.Typed;

namespace Prxy.Gateway.RateLimit;

/// <summary>The rate limiter's decision for one request.</summary>
/// <param name="Allowed">Whether the request may proceed.</param>
/// <param name="Count">Requests counted in the current window (0 when the KV was unavailable).</param>
/// <param name="Limit">The key's limit per window.</param>
public sealed record RateDecision(bool Allowed, long Count, int Limit);

/// <summary>A fixed-window limiter per API key: one atomic KV increment per request.</summary>
public sealed class RateLimiter(IPrxyStorage storage)
{
    /// <summary>The limit of keys without a policy row.</summary>
    public static readonly RateLimitPolicy Default = new() { ApiKey = "*", RequestsPerWindow = 5, WindowSeconds = 60, Plan = "free" };

    /// <summary>Stores the limits of known keys.</summary>
    public async Task SeedAsync(IEnumerable<RateLimitPolicy> policies, CancellationToken ct)
    {
        foreach (var policy in policies)
        {
            (await storage.Db.From<RateLimitPolicy>().UpsertAsync(policy, RateLimitPolicy.Columns.ApiKey, ct)).EnsureSuccess();
        }
    }

    /// <summary>Counts a request of <paramref name="apiKey"/> at <paramref name="elapsed"/> into the replay <paramref name="run"/>.</summary>
    public async Task<RateDecision> CheckAsync(string apiKey, string run, TimeSpan elapsed, CancellationToken ct)
    {
        var found = await storage.Db.From<RateLimitPolicy>().Where(RateLimitPolicy.Columns.ApiKey.Eq(apiKey)).MaybeSingleAsync(ct);
        var policy = found.Data ?? Default;
        var window = (long)(elapsed.TotalSeconds / policy.WindowSeconds);
        var counted = await storage.Kv.IncrementAsync($"rate-limit:{apiKey}:{run}:{window}", 1, TimeSpan.FromSeconds(policy.WindowSeconds), ct);
        if (!counted.IsAvailable)
        {
            return new RateDecision(true, 0, policy.RequestsPerWindow); // fail open: a KV outage must not block traffic
        }

        return new RateDecision(counted.Value <= policy.RequestsPerWindow, counted.Value, policy.RequestsPerWindow);
    }
}
