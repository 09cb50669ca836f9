using System.Text.Json.Serialization;

namespace Prxy.Typed.Tests.Generator;

public enum Mood
{
    Calm,
    Busy,
    Angry = -7,
}

public enum Tiny : byte
{
    Zero,
    Max = 255,
}

public enum Wide : long
{
    Small = 1,
    Huge = long.MaxValue,
}

public enum Short16 : short
{
    Low = short.MinValue,
    High = short.MaxValue,
}

public sealed record Settings(string Theme, int Level, IReadOnlyList<string> Flags);

[JsonSerializable(typeof(Settings))]
[JsonSerializable(typeof(List<int>))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
public sealed partial class TestJsonContext : JsonSerializerContext;

/// <summary>Every supported type, non-nullable.</summary>
[Table("every_type")]
public sealed partial record EveryType
{
    [PrimaryKey] public required string Id { get; init; }
    public required string Text { get; init; }
    public bool Flag { get; init; }
    public short Small { get; init; }
    public int Number { get; init; }
    public long Big { get; init; }
    public float Single { get; init; }
    public double Real { get; init; }
    public decimal Money { get; init; }
    public Guid Key { get; init; }
    public DateTimeOffset At { get; init; }
    public DateTime When { get; init; }
    public required byte[] Blob { get; init; }
    public Mood Mood { get; init; }
    public Tiny Tiny { get; init; }
    public Wide Wide { get; init; }
    public Short16 Short16 { get; init; }
    [Json(Context = typeof(TestJsonContext))] public required Settings Settings { get; init; }
    [Json] public required List<string> Tags { get; init; }
    [Vector(3)] public required float[] Embedding { get; init; }
    [Vector(2)] public ReadOnlyMemory<float> Memory { get; init; }
}

/// <summary>Every supported type, nullable.</summary>
[Table("every_nullable")]
public sealed partial record EveryNullable
{
    [PrimaryKey, Column("pk")] public long Id { get; init; }
    public string? Text { get; init; }
    public bool? Flag { get; init; }
    public short? Small { get; init; }
    public int? Number { get; init; }
    public long? Big { get; init; }
    public float? Single { get; init; }
    public double? Real { get; init; }
    public decimal? Money { get; init; }
    public Guid? Key { get; init; }
    public DateTimeOffset? At { get; init; }
    public DateTime? When { get; init; }
    public byte[]? Blob { get; init; }
    public Mood? Mood { get; init; }
    public Wide? Wide { get; init; }
    [Json(Context = typeof(TestJsonContext))] public Settings? Settings { get; init; }
    [Json(Context = typeof(TestJsonContext))] public List<int>? Numbers { get; init; }
    [Json] public Dictionary<string, string?>? Map { get; init; }
    [Vector(3)] public float[]? Embedding { get; init; }
    [Vector(2)] public ReadOnlyMemory<float>? Memory { get; init; }
}

/// <summary>A positional record: the reader calls its constructor.</summary>
[Table("positional")]
public sealed partial record Positional([property: PrimaryKey] Guid Id, string Name, int? Score)
{
    public string? Note { get; init; }
}

/// <summary>A plain partial class.</summary>
[Table("plain_class")]
public sealed partial class PlainClass
{
    [PrimaryKey] public int Id { get; set; }
    [Column("label_text")] public string Label { get; set; } = "";
    public string Computed => Label + "!";
}

/// <summary>A projection of <see cref="EveryNullable"/>, in another order.</summary>
[Projection(typeof(EveryNullable))]
public sealed partial record NullableSummary
{
    public double? Real { get; init; }
    [Column("pk")] public long Key { get; init; }
    public string? Text { get; init; }
    public List<int>? Numbers { get; init; }
}
