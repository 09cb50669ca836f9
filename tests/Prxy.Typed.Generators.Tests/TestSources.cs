namespace Prxy.Typed.Generators.Tests;

/// <summary>C# inputs shared by the generator tests.</summary>
internal static class TestSources
{
    /// <summary>
    /// A JSON context written by hand: these tests run only the Prxy generator, so the System.Text.Json generator does
    /// not fill a partial context here.
    /// </summary>
    public const string JsonContext = """
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;

        namespace Sample;

        public sealed record Settings(string Theme, int Level);

        [JsonSerializable(typeof(Settings))]
        [JsonSerializable(typeof(List<string?>))]
        public sealed class SampleJsonContext : JsonSerializerContext
        {
            public SampleJsonContext() : base(null)
            {
            }

            public static SampleJsonContext Default { get; } = new();

            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;

            public override JsonTypeInfo? GetTypeInfo(Type type) => null;
        }
        """;

    /// <summary>The record of DESIGN.md.</summary>
    public const string Pattern = """
        namespace Sample;

        [Table("patterns")]
        public sealed partial record Pattern
        {
            [PrimaryKey] public required string Id { get; init; }
            public string? UserId { get; init; }
            public required string Problem { get; init; }
            public required string Solution { get; init; }
            [Json] public IReadOnlyList<string>? Tags { get; init; }
            [Vector(384)] public float[]? Embedding { get; init; }
            public double SuccessRate { get; init; } = 1.0;
            public long AppliedCount { get; init; }
            public DateTimeOffset CreatedAt { get; init; }
        }
        """;

    /// <summary>Every supported type, nullable and not, custom names, enums, a projection, a positional record, a class, nesting.</summary>
    public const string Representative = """
        namespace Sample;

        public enum Status { Active, Retired }

        public enum Level : byte { Low, High }

        public enum Huge : ulong { Zero, Max = ulong.MaxValue }

        [Table("all_types")]
        public sealed partial record AllTypes
        {
            [PrimaryKey] public Guid Id { get; init; }
            public required string Text { get; init; }
            public bool Flag { get; init; }
            public short Small { get; init; }
            public int Number { get; init; }
            public long Big { get; init; }
            public float Single { get; init; }
            public double Real { get; init; }
            public decimal Money { get; init; }
            public DateTimeOffset At { get; init; }
            public DateTime When { get; init; }
            public required byte[] Blob { get; init; }
            public Status Status { get; init; }
            public Level Level { get; init; }
            public Huge Huge { get; init; }
            [Json(Context = typeof(SampleJsonContext))] public required Settings Settings { get; init; }
            [Json] public required Dictionary<string, int> Counts { get; init; }
            [Vector(3)] public required float[] Embedding { get; init; }
            [Vector(2)] public ReadOnlyMemory<float> Memory { get; init; }
        }

        [Table("all_nullable")]
        public sealed partial record AllNullable
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
            public Status? Status { get; init; }
            [Json(Context = typeof(SampleJsonContext))] public Settings? Settings { get; init; }
            [Json(Context = typeof(SampleJsonContext))] public List<string?>? Names { get; init; }
            [Json] public int[]? Numbers { get; init; }
            [Vector(3)] public float[]? Embedding { get; init; }
            [Vector(2)] public ReadOnlyMemory<float>? Memory { get; init; }
        }

        [Table("renamed")]
        public sealed partial record Positional([property: PrimaryKey, Column("key")] string Id, int? Score)
        {
            [Column("Display_Name2")] public string? DisplayName { get; init; }
            public string Computed => Id + Score;
            public static int Ignored { get; set; }
        }

        [Table("plain_class")]
        public partial class PlainClass
        {
            [PrimaryKey] public int Id { get; set; }
            public string HTTPStatus { get; set; } = "";
            public Status @event { get; set; }
        }

        public static partial class Outer
        {
            [Table("nested")]
            public partial record Inner
            {
                [PrimaryKey] public long Id { get; init; }
            }
        }

        [Projection(typeof(AllNullable))]
        public sealed partial record AllNullableSummary
        {
            [Column("pk")] public long Key { get; init; }
            public double? Real { get; init; }
            public List<string?>? Names { get; init; }
            public Status? Status { get; init; }
        }

        [Projection(typeof(AllTypes))]
        public sealed partial record AllTypesSummary(Guid Id, string? Text)
        {
            public Settings? Settings { get; init; }
            public int? Number { get; init; }
        }
        """;
}
