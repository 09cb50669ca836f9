using System.Text.Json.Serialization.Metadata;

namespace Prxy.Typed.IntegrationTests.Db;

public enum Mood : short
{
    Calm = 1,
    Busy = 2,
    Angry = -3,
}

// Written by hand exactly as the generator emits [Table] records, until the generator is in main.
public sealed partial record Item : ITable<Item>
{
    public required string Id { get; init; }
    public string? Name { get; init; }
    public int? Count { get; init; }
    public long Big { get; init; }
    public short? Small { get; init; }
    public double? Ratio { get; init; }
    public float? Weight { get; init; }
    public decimal? Price { get; init; }
    public bool? Flag { get; init; }
    public Guid? Uid { get; init; }
    public DateTimeOffset? At { get; init; }
    public DateTime? When { get; init; }
    public byte[]? Data { get; init; }
    public List<string>? Tags { get; init; }
    public Mood? Mood { get; init; }

    private static readonly JsonTypeInfo<List<string>> TagsJson = PrxyJson.Reflection<List<string>>();

    public static TableInfo Table { get; } = new("items", typeof(Item),
    [
        new("id", "Id", 0, ColumnKind.String, typeof(string), false, true),
        new("name", "Name", 1, ColumnKind.String, typeof(string), true, false),
        new("count", "Count", 2, ColumnKind.Int32, typeof(int), true, false),
        new("big", "Big", 3, ColumnKind.Int64, typeof(long), false, false),
        new("small", "Small", 4, ColumnKind.Int16, typeof(short), true, false),
        new("ratio", "Ratio", 5, ColumnKind.Double, typeof(double), true, false),
        new("weight", "Weight", 6, ColumnKind.Single, typeof(float), true, false),
        new("price", "Price", 7, ColumnKind.Decimal, typeof(decimal), true, false),
        new("flag", "Flag", 8, ColumnKind.Boolean, typeof(bool), true, false),
        new("uid", "Uid", 9, ColumnKind.Guid, typeof(Guid), true, false),
        new("at", "At", 10, ColumnKind.DateTimeOffset, typeof(DateTimeOffset), true, false),
        new("when_utc", "When", 11, ColumnKind.DateTime, typeof(DateTime), true, false),
        new("data", "Data", 12, ColumnKind.Bytes, typeof(byte[]), true, false),
        new("tags", "Tags", 13, ColumnKind.Json, typeof(List<string>), true, false),
        new("mood", "Mood", 14, ColumnKind.Enum, typeof(Mood), true, false),
    ]);

    public static IReadOnlyList<ColumnInfo> ReadColumns => Table.Columns;

    public static Item Read<TReader>(TReader reader) where TReader : IRowReader => new()
    {
        Id = reader.GetString(0),
        Name = reader.IsNull(1) ? null : reader.GetString(1),
        Count = reader.IsNull(2) ? null : reader.GetInt32(2),
        Big = reader.GetInt64(3),
        Small = reader.IsNull(4) ? null : reader.GetInt16(4),
        Ratio = reader.IsNull(5) ? null : reader.GetDouble(5),
        Weight = reader.IsNull(6) ? null : reader.GetSingle(6),
        Price = reader.IsNull(7) ? null : reader.GetDecimal(7),
        Flag = reader.IsNull(8) ? null : reader.GetBoolean(8),
        Uid = reader.IsNull(9) ? null : reader.GetGuid(9),
        At = reader.IsNull(10) ? null : reader.GetDateTimeOffset(10),
        When = reader.IsNull(11) ? null : reader.GetDateTime(11),
        Data = reader.IsNull(12) ? null : reader.GetBytes(12),
        Tags = reader.IsNull(13) ? null : reader.GetJson(13, TagsJson),
        Mood = reader.IsNull(14) ? null : (Mood)reader.GetInt16(14),
    };

    public static void Write<TWriter>(Item row, TWriter writer) where TWriter : IRowWriter
    {
        writer.WriteString(0, row.Id);
        if (row.Name is { } name) writer.WriteString(1, name); else writer.WriteNull(1);
        if (row.Count is { } count) writer.WriteInt32(2, count); else writer.WriteNull(2);
        writer.WriteInt64(3, row.Big);
        if (row.Small is { } small) writer.WriteInt16(4, small); else writer.WriteNull(4);
        if (row.Ratio is { } ratio) writer.WriteDouble(5, ratio); else writer.WriteNull(5);
        if (row.Weight is { } weight) writer.WriteSingle(6, weight); else writer.WriteNull(6);
        if (row.Price is { } price) writer.WriteDecimal(7, price); else writer.WriteNull(7);
        if (row.Flag is { } flag) writer.WriteBoolean(8, flag); else writer.WriteNull(8);
        if (row.Uid is { } uid) writer.WriteGuid(9, uid); else writer.WriteNull(9);
        if (row.At is { } at) writer.WriteDateTimeOffset(10, at); else writer.WriteNull(10);
        if (row.When is { } when) writer.WriteDateTime(11, when); else writer.WriteNull(11);
        if (row.Data is { } data) writer.WriteBytes(12, data); else writer.WriteNull(12);
        if (row.Tags is { } tags) writer.WriteJson(13, tags, TagsJson); else writer.WriteNull(13);
        if (row.Mood is { } mood) writer.WriteInt16(14, (short)mood); else writer.WriteNull(14);
    }

    public static class Columns
    {
        public static readonly TextColumn<Item> Id = new(Table.Columns[0]);
        public static readonly TextColumn<Item> Name = new(Table.Columns[1]);
        public static readonly NumberColumn<Item, int> Count = new(Table.Columns[2]);
        public static readonly NumberColumn<Item, long> Big = new(Table.Columns[3]);
        public static readonly NumberColumn<Item, short> Small = new(Table.Columns[4]);
        public static readonly NumberColumn<Item, double> Ratio = new(Table.Columns[5]);
        public static readonly NumberColumn<Item, float> Weight = new(Table.Columns[6]);
        public static readonly NumberColumn<Item, decimal> Price = new(Table.Columns[7]);
        public static readonly Column<Item, bool> Flag = new(Table.Columns[8]);
        public static readonly Column<Item, Guid> Uid = new(Table.Columns[9]);
        public static readonly ComparableColumn<Item, DateTimeOffset> At = new(Table.Columns[10]);
        public static readonly ComparableColumn<Item, DateTime> When = new(Table.Columns[11]);
        public static readonly Column<Item, byte[]> Data = new(Table.Columns[12]);
        public static readonly JsonColumn<Item, List<string>> Tags = new(Table.Columns[13], TagsJson);
        public static readonly Column<Item, Mood> Mood = new(Table.Columns[14]);
    }
}

// A [Projection(typeof(Item))] record, as the generator emits it.
public sealed partial record ItemName : IProjection<ItemName, Item>
{
    public required string Id { get; init; }
    public string? Name { get; init; }

    public static IReadOnlyList<ColumnInfo> ReadColumns { get; } = [Item.Table.Columns[0], Item.Table.Columns[1]];

    public static ItemName Read<TReader>(TReader reader) where TReader : IRowReader => new()
    {
        Id = reader.GetString(0),
        Name = reader.IsNull(1) ? null : reader.GetString(1),
    };
}

public sealed partial record Embedded : ITable<Embedded>
{
    public required string Id { get; init; }
    public float[]? Embedding { get; init; }

    public static TableInfo Table { get; } = new("embedded", typeof(Embedded),
    [
        new("id", "Id", 0, ColumnKind.String, typeof(string), false, true),
        new("embedding", "Embedding", 1, ColumnKind.Vector, typeof(float[]), true, false, 3),
    ]);

    public static IReadOnlyList<ColumnInfo> ReadColumns => Table.Columns;

    public static Embedded Read<TReader>(TReader reader) where TReader : IRowReader => new()
    {
        Id = reader.GetString(0),
        Embedding = reader.IsNull(1) ? null : reader.GetVector(1),
    };

    public static void Write<TWriter>(Embedded row, TWriter writer) where TWriter : IRowWriter
    {
        writer.WriteString(0, row.Id);
        if (row.Embedding is { } embedding) writer.WriteVector(1, embedding); else writer.WriteNull(1);
    }

    public static class Columns
    {
        public static readonly TextColumn<Embedded> Id = new(Table.Columns[0]);
        public static readonly VectorColumn<Embedded> Embedding = new(Table.Columns[1]);
    }
}
