using Prxy.Typed;

namespace PackageSmoke;

/// <summary>The record of the design's module example, declared exactly as a module author would.</summary>
[Table("patterns")]
public sealed partial record Pattern
{
    /// <summary>Primary key.</summary>
    [PrimaryKey] public required string Id { get; init; }

    /// <summary>Owner; column <c>user_id</c>.</summary>
    public string? UserId { get; init; }

    /// <summary>The problem text.</summary>
    public required string Problem { get; init; }

    /// <summary>The solution text.</summary>
    public required string Solution { get; init; }

    /// <summary>Free-form tags, stored as JSON.</summary>
    [Json] public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Embedding of the problem text.</summary>
    [Vector(384)] public float[]? Embedding { get; init; }

    /// <summary>Share of successful applications.</summary>
    public double SuccessRate { get; init; } = 1.0;

    /// <summary>How often the pattern was applied.</summary>
    public long AppliedCount { get; init; }

    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
