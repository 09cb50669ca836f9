using System.Security.Cryptography;
using System.Text;
using Prxy.Typed;

namespace Prxy.Gateway.SemanticCache;

/// <summary>The result of a cache lookup.</summary>
/// <param name="Hit">True when a similar enough, fresh enough response was found.</param>
/// <param name="Score">Similarity of the best candidate (hits only).</param>
/// <param name="Response">The archived response (hits only).</param>
public sealed record CacheLookup(bool Hit, double? Score, string? Response);

/// <summary>Answers prompts from similar earlier prompts of the same model; responses are archived as blobs.</summary>
public sealed class SemanticCache(IPrxyStorage storage, TimeProvider clock)
{
    /// <summary>How similar a prompt must be to reuse a response.</summary>
    public const double MinScore = 0.9;

    /// <summary>Entries older than this are not served.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(1);

    /// <summary>Looks up a response for <paramref name="prompt"/> on <paramref name="model"/>.</summary>
    public async Task<CacheLookup> LookupAsync(string model, string prompt, CancellationToken ct)
    {
        var fresh = clock.GetUtcNow() - MaxAge;
        var hits = await storage.Db.From<CachedResponse>()
            .Where(CachedResponse.Columns.Model.Eq(model) & CachedResponse.Columns.CreatedAt.Gte(fresh))
            .VectorSearchAsync(CachedResponse.Columns.Embedding, Embedder.Embed(prompt), limit: 1, minScore: MinScore, ct);
        if (hits.Data is not [var best, ..])
        {
            return new CacheLookup(false, null, null);
        }

        var response = await storage.Blob.GetAsync(best.Data.BlobKey, ct);
        if (response is null)
        {
            return new CacheLookup(false, null, null); // archive missing or unavailable: a miss, not an outage
        }

        await storage.Db.From<CachedResponse>()
            .Where(CachedResponse.Columns.Id.Eq(best.Data.Id))
            .UpdateAsync([CachedResponse.Columns.Hits.Increment(1)], ct);
        return new CacheLookup(true, best.Score, Encoding.UTF8.GetString(response));
    }

    /// <summary>Archives <paramref name="response"/> and indexes it under the prompt's embedding.</summary>
    public async Task StoreAsync(string model, string prompt, string response, CancellationToken ct)
    {
        var id = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(model + "\n" + prompt)).AsSpan(0, 16));
        var key = $"semantic-cache/{model}/{id:N}.txt";
        await storage.Blob.PutAsync(key, response, ct);
        var row = new CachedResponse
        {
            Id = id,
            Model = model,
            Prompt = prompt,
            Embedding = Embedder.Embed(prompt),
            BlobKey = key,
            ResponseBytes = Encoding.UTF8.GetByteCount(response),
            CreatedAt = clock.GetUtcNow(),
        };
        (await storage.Db.From<CachedResponse>().UpsertAsync(row, CachedResponse.Columns.Id, ct)).EnsureSuccess();
    }
}
