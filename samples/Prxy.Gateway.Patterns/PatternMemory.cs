using System.Security.Cryptography;
using System.Text;
using Prxy.Typed;

namespace Prxy.Gateway.Patterns;

/// <summary>What the patterns module decided for one request.</summary>
/// <param name="Outcome">recalled, forged, busy or unavailable.</param>
/// <param name="PatternId">The pattern recalled or forged.</param>
/// <param name="Score">Cosine similarity of a recalled pattern.</param>
public sealed record PatternDecision(string Outcome, string? PatternId, double? Score);

/// <summary>Recalls a user's proven pattern for a problem, or forges a new one under a KV lock.</summary>
public sealed class PatternMemory(IPrxyStorage storage, TimeProvider clock)
{
    /// <summary>Only patterns that worked at least this often are recalled.</summary>
    public const double MinSuccessRate = 0.6;

    /// <summary>How similar a problem must be to recall a pattern.</summary>
    public const double MinScore = 0.8;

    /// <summary>Finds the closest proven pattern of <paramref name="userId"/>, or forges one from <paramref name="solution"/>.</summary>
    public async Task<PatternDecision> RecallOrForgeAsync(string userId, string problem, string solution, CancellationToken ct)
    {
        var embedding = Embedder.Embed(problem);
        var hits = await storage.Db.From<Pattern>()
            .Where(Pattern.Columns.UserId.Eq(userId) & Pattern.Columns.SuccessRate.Gte(MinSuccessRate))
            .VectorSearchAsync(Pattern.Columns.Embedding, embedding, limit: 1, minScore: MinScore, ct);
        if (!hits.IsSuccess)
        {
            return new PatternDecision("unavailable", null, null);
        }

        if (hits.Data is [var best, ..])
        {
            await storage.Db.From<Pattern>()
                .Where(Pattern.Columns.Id.Eq(best.Data.Id))
                .UpdateAsync([Pattern.Columns.AppliedCount.Increment(1)], ct);
            return new PatternDecision("recalled", best.Data.Id, best.Score);
        }

        // Two gateway instances seeing the same new problem must not both forge it.
        await using var lease = await storage.Kv.TryLockAsync($"patterns:forge:{userId}", TimeSpan.FromSeconds(10), ct);
        if (lease is null)
        {
            return new PatternDecision("busy", null, null);
        }

        var pattern = new Pattern
        {
            Id = StableId(userId, problem),
            UserId = userId,
            Problem = problem,
            Solution = solution,
            Tags = ["sample", problem.Split(' ')[0].ToLowerInvariant()],
            Embedding = embedding,
            SuccessRate = 1.0,
            CreatedAt = clock.GetUtcNow(),
        };
        var inserted = await storage.Db.From<Pattern>().UpsertAsync(pattern, Pattern.Columns.Id, ct);
        return new PatternDecision(inserted.IsSuccess ? "forged" : "unavailable", pattern.Id, null);
    }

    private static string StableId(string userId, string problem) =>
        "p-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId + "\n" + problem)))[..12];
}
