using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Prxy.Typed.Tests.Generator;

/// <summary>
/// Compiles [Table] records with the generator as an analyzer, then writes rows through the generated Write and reads
/// them back through the generated Read: every supported type, nullable and not, edge values compared exactly.
/// </summary>
public sealed class GeneratedRoundTripTests
{
    private static readonly DateTimeOffset Instant = new DateTimeOffset(2026, 12, 4, 16, 30, 1, TimeSpan.Zero).AddTicks(1234567);

    public static TheoryData<string> EveryTypeCases() => ["plain", "edges", "empties"];

    [Theory]
    [MemberData(nameof(EveryTypeCases))]
    public void EveryType_round_trips_exactly(string name)
    {
        var row = EveryTypeRow(name);

        var back = RoundTrip(row);

        AssertSameColumns(row, back);
    }

    [Fact]
    public void EveryNullable_round_trips_all_nulls()
    {
        var row = new EveryNullable { Id = -1 };

        var buffer = Write(row);
        var back = EveryNullable.Read(buffer);

        Assert.All(Enumerable.Range(1, EveryNullable.Table.Columns.Count - 1), i => Assert.True(buffer.IsNull(i), $"ordinal {i} should be NULL"));
        AssertSameColumns(row, back);
    }

    [Fact]
    public void EveryNullable_round_trips_values_and_keeps_empty_apart_from_null()
    {
        var row = new EveryNullable
        {
            Id = long.MaxValue,
            Text = "",
            Flag = false,
            Small = short.MinValue,
            Number = 0,
            Big = long.MinValue,
            Single = float.NegativeInfinity,
            Real = double.NaN,
            Money = -0.000m,
            Key = Guid.Empty,
            At = DateTimeOffset.UnixEpoch,
            When = DateTime.SpecifyKind(new DateTime(1999, 12, 31, 23, 59, 59), DateTimeKind.Utc),
            Blob = [],
            Mood = Mood.Angry,
            Wide = Wide.Huge,
            Settings = new Settings("", 0, []),
            Numbers = [],
            Map = new() { ["k"] = null, ["ключ"] = "значение" },
            Embedding = [0f, -0f, float.Epsilon],
            Memory = new ReadOnlyMemory<float>([float.MaxValue, float.MinValue]),
        };

        var buffer = Write(row);
        var back = EveryNullable.Read(buffer);

        AssertSameColumns(row, back);
        Assert.NotNull(back.Blob);
        Assert.Empty(back.Blob);
        Assert.NotNull(back.Numbers);
        Assert.Empty(back.Numbers);
        Assert.Equal("[]", JsonText(buffer, EveryNullable.Columns.Numbers.Info.Ordinal));
    }

    [Fact]
    public void Writer_uses_the_method_of_each_column_kind()
    {
        var buffer = Write(EveryTypeRow("plain"));

        var methods = EveryType.Table.Columns.Select(c => (c.Name, buffer.MethodAt(c.Ordinal))).ToList();

        Assert.Equal(
            [
                ("id", "String"), ("text", "String"), ("flag", "Boolean"), ("small", "Int16"), ("number", "Int32"), ("big", "Int64"),
                ("single", "Single"), ("real", "Double"), ("money", "Decimal"), ("key", "Guid"), ("at", "DateTimeOffset"),
                ("when", "DateTime"), ("blob", "Bytes"), ("mood", "Int32"), ("tiny", "Int32"), ("wide", "Int64"), ("short16", "Int16"),
                ("settings", "Json"), ("tags", "Json"), ("embedding", "Vector"), ("memory", "Vector"),
            ],
            methods);
    }

    [Fact]
    public void Table_metadata_describes_every_column()
    {
        var table = EveryNullable.Table;

        Assert.Equal("every_nullable", table.Name);
        Assert.Equal(typeof(EveryNullable), table.ClrType);
        Assert.Same(table.Columns, EveryNullable.ReadColumns);
        var key = Assert.Single(table.PrimaryKey);
        Assert.Equal(("pk", "Id", ColumnKind.Int64, typeof(long), false), (key.Name, key.PropertyName, key.Kind, key.ClrType, key.IsNullable));
        var mood = table.FindColumn("mood")!;
        Assert.Equal((ColumnKind.Enum, typeof(Mood), true), (mood.Kind, mood.ClrType, mood.IsNullable));
        var embedding = table.FindColumn("embedding")!;
        Assert.Equal((ColumnKind.Vector, typeof(float[]), true, 3), (embedding.Kind, embedding.ClrType, embedding.IsNullable, embedding.VectorDimensions));
        var memory = table.FindColumn("memory")!;
        Assert.Equal((typeof(ReadOnlyMemory<float>), true, 2), (memory.ClrType, memory.IsNullable, memory.VectorDimensions));
        var map = table.FindColumn("map")!;
        Assert.Equal((ColumnKind.Json, typeof(Dictionary<string, string>)), (map.Kind, map.ClrType));
        Assert.All(table.Columns, c => Assert.Same(table, c.Table));
    }

    [Fact]
    public void Columns_carry_the_table_metadata_even_when_touched_first()
    {
        // Nothing else in this assembly touches PlainClass, so this is the first access to its static state.
        var label = PlainClass.Columns.Label;

        Assert.Equal("label_text", label.Info.Name);
        Assert.Same(PlainClass.Table, label.Info.Table);
        Assert.Equal(["id", "label_text"], PlainClass.Table.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Positional_record_is_read_through_its_constructor()
    {
        var row = new Positional(Guid.NewGuid(), "ünïcødé ✓", null) { Note = "n" };

        var back = RoundTrip(row);

        Assert.Equal(row, back);
    }

    [Fact]
    public void Projection_reads_its_columns_in_its_own_order()
    {
        var row = new EveryNullable { Id = 42, Real = double.PositiveInfinity, Text = "t", Numbers = [1, 2, 3] };
        var buffer = Write(row);

        var ordinals = NullableSummary.ReadColumns.Select(c => c.Ordinal).ToList();
        var summary = NullableSummary.Read(buffer.Select(ordinals));

        Assert.Equal(["real", "pk", "text", "numbers"], NullableSummary.ReadColumns.Select(c => c.Name));
        Assert.All(NullableSummary.ReadColumns, c => Assert.Same(EveryNullable.Table, c.Table));
        Assert.Equal(double.PositiveInfinity, summary.Real);
        Assert.Equal(42, summary.Key);
        Assert.Equal("t", summary.Text);
        Assert.Equal([1, 2, 3], summary.Numbers!);
    }

    private static EveryType EveryTypeRow(string name) => name switch
    {
        "plain" => new EveryType
        {
            Id = "a",
            Text = "plain",
            Flag = true,
            Small = 7,
            Number = 42,
            Big = 1L << 40,
            Single = 1.5f,
            Real = 2.25,
            Money = 12.50m,
            Key = Guid.Parse("0d7b8a4e-0000-4000-8000-0123456789ab"),
            At = Instant,
            When = Instant.UtcDateTime,
            Blob = [1, 2, 3],
            Mood = Mood.Busy,
            Tiny = Tiny.Zero,
            Wide = Wide.Small,
            Short16 = Short16.High,
            Settings = new Settings("dark", 3, ["x", "y"]),
            Tags = ["a", "b"],
            Embedding = [0.1f, 0.2f, 0.3f],
            Memory = new float[] { 1f, 2f },
        },
        "edges" => new EveryType
        {
            Id = "日本語-ключ-🔑",
            Text = "naïve café \u0000 \"quoted\" 'single' \\ \n tab\t 🌍",
            Flag = false,
            Small = short.MinValue,
            Number = int.MinValue,
            Big = long.MaxValue,
            Single = float.NaN,
            Real = double.NegativeInfinity,
            Money = 79228162514264337593543950335m,
            Key = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"),
            At = DateTimeOffset.MaxValue,
            When = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc),
            Blob = [0, 255, 0],
            Mood = Mood.Angry,
            Tiny = Tiny.Max,
            Wide = Wide.Huge,
            Short16 = Short16.Low,
            Settings = new Settings("ü", int.MaxValue, ["\u2028", ""]),
            Tags = ["", "🙂"],
            Embedding = [float.NaN, float.PositiveInfinity, float.NegativeInfinity],
            Memory = new float[] { -0f, float.Epsilon },
        },
        "empties" => new EveryType
        {
            Id = "",
            Text = "",
            Money = 1.2300m,
            Blob = [],
            Settings = new Settings("", 0, []),
            Tags = [],
            Embedding = [0, 0, 0],
            Memory = ReadOnlyMemory<float>.Empty,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static InMemoryRow Write<T>(T row) where T : ITable<T>
    {
        var buffer = new InMemoryRow(T.Table.Columns.Count);
        T.Write(row, buffer);
        Assert.Equal(T.Table.Columns.Count, buffer.WrittenCount);
        return buffer;
    }

    private static T RoundTrip<T>(T row) where T : ITable<T> => T.Read(Write(row));

    private static string JsonText(InMemoryRow buffer, int ordinal) => buffer.GetJson(ordinal, TestJsonContext.Default.JsonElement).GetRawText();

    /// <summary>Compares every mapped property exactly: arrays by content, decimals with their scale, JSON by its text.</summary>
    private static void AssertSameColumns<T>(T expected, T actual) where T : ITable<T>
    {
        foreach (var column in T.Table.Columns)
        {
            var property = typeof(T).GetProperty(column.PropertyName, BindingFlags.Public | BindingFlags.Instance)!;
            var want = property.GetValue(expected);
            var got = property.GetValue(actual);
            var label = $"{T.Table.Name}.{column.Name}";
            switch (want)
            {
                case null:
                    Assert.True(got is null, $"{label}: expected null, got {got}");
                    break;
                case byte[] bytes:
                    Assert.Equal(bytes, Assert.IsType<byte[]>(got));
                    break;
                case float[] floats:
                    Assert.Equal(Bits(floats), Bits(Assert.IsType<float[]>(got)));
                    break;
                case ReadOnlyMemory<float> memory:
                    Assert.Equal(Bits(memory.ToArray()), Bits(Assert.IsType<ReadOnlyMemory<float>>(got).ToArray()));
                    break;
                case decimal money:
                    Assert.Equal(money.ToString(CultureInfo.InvariantCulture), ((decimal)got!).ToString(CultureInfo.InvariantCulture));
                    break;
                case DateTime moment:
                    Assert.Equal((moment.Ticks, moment.Kind), (((DateTime)got!).Ticks, ((DateTime)got!).Kind));
                    break;
                case DateTimeOffset at:
                    Assert.Equal((at.UtcTicks, at.Offset), (((DateTimeOffset)got!).UtcTicks, ((DateTimeOffset)got!).Offset));
                    break;
                case float or double:
                    Assert.True(want.Equals(got), $"{label}: expected {want}, got {got}");
                    break;
                default:
                    if (column.Kind == ColumnKind.Json)
                    {
                        Assert.Equal(JsonSerializer.Serialize(want, want.GetType()), JsonSerializer.Serialize(got, want.GetType()));
                    }
                    else
                    {
                        Assert.Equal(want, got);
                    }

                    break;
            }
        }
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
