namespace Prxy.Typed.IntegrationTests.Db;

public enum Mood : short
{
    Calm = 1,
    Busy = 2,
    Angry = -3,
}

// Every supported property type, nullable where it can be; the generator implements ITable<Item>.
[Table("items")]
public sealed partial record Item
{
    [PrimaryKey] public required string Id { get; init; }
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
    [Column("when_utc")] public DateTime? When { get; init; }
    public byte[]? Data { get; init; }
    [Json] public List<string>? Tags { get; init; }
    public Mood? Mood { get; init; }
}

[Projection(typeof(Item))]
public sealed partial record ItemName
{
    public required string Id { get; init; }
    public string? Name { get; init; }
}

[Table("embedded")]
public sealed partial record Embedded
{
    [PrimaryKey] public required string Id { get; init; }
    [Vector(3)] public float[]? Embedding { get; init; }
}

// The session's server-prepared statements (a system view), read as a query shape.
[Table("pg_prepared_statements")]
public sealed partial record PreparedStatement
{
    [PrimaryKey] public required string Name { get; init; }
    public required string Statement { get; init; }
}
