using System.Text.Json.Serialization.Metadata;

namespace Prxy.Typed;

/// <summary>
/// A record the query layer can read from a row. Implemented by the generator for every <c>[Table]</c> record and
/// every <c>[Projection]</c> record; never implement it by hand.
/// </summary>
/// <typeparam name="TSelf">The record type.</typeparam>
public interface IRecord<TSelf> where TSelf : IRecord<TSelf>
{
    /// <summary>The columns this record reads, in the order of the ordinals <see cref="Read"/> uses.</summary>
    static abstract IReadOnlyList<ColumnInfo> ReadColumns { get; }

    /// <summary>Reads one row whose columns are <see cref="ReadColumns"/> at ordinals 0..n-1, without reflection.</summary>
    static abstract TSelf Read<TReader>(TReader reader) where TReader : IRowReader;
}

/// <summary>A <c>[Table]</c> record: metadata, reader and parameter writer, all generated.</summary>
/// <typeparam name="TSelf">The record type.</typeparam>
public interface ITable<TSelf> : IRecord<TSelf> where TSelf : ITable<TSelf>
{
    /// <summary>The table's metadata.</summary>
    static abstract TableInfo Table { get; }

    /// <summary>Writes every column of <paramref name="row"/>, by ordinal, to <paramref name="writer"/>.</summary>
    static abstract void Write<TWriter>(TSelf row, TWriter writer) where TWriter : IRowWriter;
}

/// <summary>A <c>[Projection(typeof(TTable))]</c> record: a subset of <typeparamref name="TTable"/>'s columns.</summary>
/// <typeparam name="TSelf">The projection type.</typeparam>
/// <typeparam name="TTable">The table it reads from.</typeparam>
public interface IProjection<TSelf, TTable> : IRecord<TSelf>
    where TSelf : IProjection<TSelf, TTable>
    where TTable : ITable<TTable>;

/// <summary>Reads typed values from the current row by ordinal; one implementation per dialect.</summary>
public interface IRowReader
{
    /// <summary>True when the value at <paramref name="ordinal"/> is SQL NULL.</summary>
    bool IsNull(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.String"/> value.</summary>
    string GetString(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Boolean"/> value.</summary>
    bool GetBoolean(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Int16"/> value (also enums of that size).</summary>
    short GetInt16(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Int32"/> value (also enums of that size and smaller).</summary>
    int GetInt32(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Int64"/> value (also enums of that size).</summary>
    long GetInt64(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Single"/> value.</summary>
    float GetSingle(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Double"/> value, NaN and infinities included.</summary>
    double GetDouble(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Decimal"/> value with its scale.</summary>
    decimal GetDecimal(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Guid"/> value.</summary>
    Guid GetGuid(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.DateTimeOffset"/> value (offset zero).</summary>
    DateTimeOffset GetDateTimeOffset(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.DateTime"/> value (<see cref="DateTimeKind.Utc"/>).</summary>
    DateTime GetDateTime(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Bytes"/> value.</summary>
    byte[] GetBytes(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Vector"/> value.</summary>
    float[] GetVector(int ordinal);
    /// <summary>Reads a <see cref="ColumnKind.Json"/> value.</summary>
    T? GetJson<T>(int ordinal, JsonTypeInfo<T> typeInfo);
}

/// <summary>Writes typed column values of one row as parameters, by ordinal; one implementation per dialect.</summary>
public interface IRowWriter
{
    /// <summary>Writes SQL NULL.</summary>
    void WriteNull(int ordinal);
    /// <summary>Writes a <see cref="ColumnKind.String"/> value.</summary>
    void WriteString(int ordinal, string value);
    /// <summary>Writes a <see cref="ColumnKind.Boolean"/> value.</summary>
    void WriteBoolean(int ordinal, bool value);
    /// <summary>Writes a <see cref="ColumnKind.Int16"/> value.</summary>
    void WriteInt16(int ordinal, short value);
    /// <summary>Writes a <see cref="ColumnKind.Int32"/> value.</summary>
    void WriteInt32(int ordinal, int value);
    /// <summary>Writes a <see cref="ColumnKind.Int64"/> value.</summary>
    void WriteInt64(int ordinal, long value);
    /// <summary>Writes a <see cref="ColumnKind.Single"/> value.</summary>
    void WriteSingle(int ordinal, float value);
    /// <summary>Writes a <see cref="ColumnKind.Double"/> value.</summary>
    void WriteDouble(int ordinal, double value);
    /// <summary>Writes a <see cref="ColumnKind.Decimal"/> value.</summary>
    void WriteDecimal(int ordinal, decimal value);
    /// <summary>Writes a <see cref="ColumnKind.Guid"/> value.</summary>
    void WriteGuid(int ordinal, Guid value);
    /// <summary>Writes a <see cref="ColumnKind.DateTimeOffset"/> value.</summary>
    void WriteDateTimeOffset(int ordinal, DateTimeOffset value);
    /// <summary>Writes a <see cref="ColumnKind.DateTime"/> value; it must be UTC.</summary>
    void WriteDateTime(int ordinal, DateTime value);
    /// <summary>Writes a <see cref="ColumnKind.Bytes"/> value.</summary>
    void WriteBytes(int ordinal, byte[] value);
    /// <summary>Writes a <see cref="ColumnKind.Vector"/> value; its length must equal the column's dimensions.</summary>
    void WriteVector(int ordinal, ReadOnlyMemory<float> value);
    /// <summary>Writes a <see cref="ColumnKind.Json"/> value.</summary>
    void WriteJson<T>(int ordinal, T value, JsonTypeInfo<T> typeInfo);
}
