namespace Prxy.Typed;

/// <summary>How a column's CLR value is stored; each dialect maps every kind to one SQL type.</summary>
public enum ColumnKind
{
    /// <summary><see cref="string"/>: <c>text</c> / <c>TEXT</c>.</summary>
    String,
    /// <summary><see cref="bool"/>: <c>boolean</c> / <c>INTEGER</c> 0 or 1.</summary>
    Boolean,
    /// <summary><see cref="short"/>: <c>smallint</c> / <c>INTEGER</c>.</summary>
    Int16,
    /// <summary><see cref="int"/>: <c>integer</c> / <c>INTEGER</c>.</summary>
    Int32,
    /// <summary><see cref="long"/>: <c>bigint</c> / <c>INTEGER</c>.</summary>
    Int64,
    /// <summary><see cref="float"/>: <c>real</c> / <c>REAL</c>.</summary>
    Single,
    /// <summary><see cref="double"/>: <c>double precision</c> / <c>REAL</c>.</summary>
    Double,
    /// <summary><see cref="decimal"/>: <c>numeric</c> / <c>TEXT</c> (invariant, scale kept).</summary>
    Decimal,
    /// <summary><see cref="System.Guid"/>: <c>uuid</c> / <c>TEXT</c>.</summary>
    Guid,
    /// <summary><see cref="System.DateTimeOffset"/>: <c>timestamptz</c> / <c>INTEGER</c> microseconds since the Unix epoch (UTC).</summary>
    DateTimeOffset,
    /// <summary><see cref="System.DateTime"/> in UTC: <c>timestamptz</c> / <c>INTEGER</c> microseconds since the Unix epoch.</summary>
    DateTime,
    /// <summary><see cref="byte"/>[]: <c>bytea</c> / <c>BLOB</c>.</summary>
    Bytes,
    /// <summary>An enum, stored as its underlying integer.</summary>
    Enum,
    /// <summary>A <c>[Json]</c> value: <c>jsonb</c> / <c>TEXT</c>.</summary>
    Json,
    /// <summary>A <c>[Vector(n)]</c> value: <c>vector(n)</c> / float32 little-endian <c>BLOB</c>.</summary>
    Vector,
}
