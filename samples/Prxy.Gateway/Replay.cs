using System.Text.Json.Serialization;

namespace Prxy.Gateway;

/// <summary>One request of the bundled replay script.</summary>
/// <param name="At">Seconds after the replay starts (rate-limit windows are computed from it, so replays are repeatable).</param>
public sealed record ReplayRequest(int At, string ApiKey, string User, string Model, string Prompt);

/// <summary>What the gateway decided for one request; the integration test compares these across backends.</summary>
public sealed record RequestDecision(int Index, string ApiKey, string RateLimit, long Count, int Limit, string Cache, double? CacheScore, string Patterns);

/// <summary>A stand-in for the upstream model: a deterministic answer, so runs compare.</summary>
public static class FakeModel
{
    /// <summary>Answers <paramref name="prompt"/>.</summary>
    public static string Complete(string model, string prompt) => $"[{model}] A considered answer to: {prompt}";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ReplayRequest[]))]
[JsonSerializable(typeof(RequestDecision[]))]
internal sealed partial class GatewayJson : JsonSerializerContext;
