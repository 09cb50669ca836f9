using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Prxy.Typed.Tests.Generator;

/// <summary>
/// One row held in memory: the writer records each value with the method that wrote it, the reader checks it is read
/// back with the matching method, so a generated reader/writer that disagree on a column's storage fails here.
/// JSON goes through its text, vectors are copied, as a database would.
/// </summary>
internal sealed class InMemoryRow : IRowWriter, IRowReader
{
    private readonly (string Method, object? Value)?[] _cells;

    public InMemoryRow(int columns) => _cells = new (string, object?)?[columns];

    public string MethodAt(int ordinal) => _cells[ordinal]?.Method ?? throw new InvalidOperationException($"Ordinal {ordinal} was never written.");

    public int WrittenCount => _cells.Count(c => c is not null);

    public void WriteNull(int ordinal) => Set(ordinal, "Null", null);
    public void WriteString(int ordinal, string value) => Set(ordinal, "String", value);
    public void WriteBoolean(int ordinal, bool value) => Set(ordinal, "Boolean", value);
    public void WriteInt16(int ordinal, short value) => Set(ordinal, "Int16", value);
    public void WriteInt32(int ordinal, int value) => Set(ordinal, "Int32", value);
    public void WriteInt64(int ordinal, long value) => Set(ordinal, "Int64", value);
    public void WriteSingle(int ordinal, float value) => Set(ordinal, "Single", value);
    public void WriteDouble(int ordinal, double value) => Set(ordinal, "Double", value);
    public void WriteDecimal(int ordinal, decimal value) => Set(ordinal, "Decimal", value);
    public void WriteGuid(int ordinal, Guid value) => Set(ordinal, "Guid", value);
    public void WriteDateTimeOffset(int ordinal, DateTimeOffset value) => Set(ordinal, "DateTimeOffset", value);
    public void WriteDateTime(int ordinal, DateTime value) => Set(ordinal, "DateTime", value);
    public void WriteBytes(int ordinal, byte[] value) => Set(ordinal, "Bytes", value.ToArray());
    public void WriteVector(int ordinal, ReadOnlyMemory<float> value) => Set(ordinal, "Vector", value.ToArray());
    public void WriteJson<T>(int ordinal, T value, JsonTypeInfo<T> typeInfo) => Set(ordinal, "Json", JsonSerializer.Serialize(value, typeInfo));

    public bool IsNull(int ordinal) => Cell(ordinal).Method == "Null";
    public string GetString(int ordinal) => (string)Get(ordinal, "String");
    public bool GetBoolean(int ordinal) => (bool)Get(ordinal, "Boolean");
    public short GetInt16(int ordinal) => (short)Get(ordinal, "Int16");
    public int GetInt32(int ordinal) => (int)Get(ordinal, "Int32");
    public long GetInt64(int ordinal) => (long)Get(ordinal, "Int64");
    public float GetSingle(int ordinal) => (float)Get(ordinal, "Single");
    public double GetDouble(int ordinal) => (double)Get(ordinal, "Double");
    public decimal GetDecimal(int ordinal) => (decimal)Get(ordinal, "Decimal");
    public Guid GetGuid(int ordinal) => (Guid)Get(ordinal, "Guid");
    public DateTimeOffset GetDateTimeOffset(int ordinal) => (DateTimeOffset)Get(ordinal, "DateTimeOffset");
    public DateTime GetDateTime(int ordinal) => (DateTime)Get(ordinal, "DateTime");
    public byte[] GetBytes(int ordinal) => ((byte[])Get(ordinal, "Bytes")).ToArray();
    public float[] GetVector(int ordinal) => ((float[])Get(ordinal, "Vector")).ToArray();
    public T? GetJson<T>(int ordinal, JsonTypeInfo<T> typeInfo) => JsonSerializer.Deserialize((string)Get(ordinal, "Json"), typeInfo);

    /// <summary>A reader over the given ordinals of this row, renumbered 0..n-1 (what a SELECT of those columns returns).</summary>
    public InMemoryRow Select(IEnumerable<int> ordinals)
    {
        var list = ordinals.ToList();
        var selected = new InMemoryRow(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            selected._cells[i] = Cell(list[i]);
        }

        return selected;
    }

    private void Set(int ordinal, string method, object? value)
    {
        if (_cells[ordinal] is not null)
        {
            throw new InvalidOperationException($"Ordinal {ordinal} written twice.");
        }

        _cells[ordinal] = (method, value);
    }

    private (string Method, object? Value) Cell(int ordinal) =>
        _cells[ordinal] ?? throw new InvalidOperationException($"Ordinal {ordinal} was never written.");

    private object Get(int ordinal, string method)
    {
        var cell = Cell(ordinal);
        if (cell.Method != method)
        {
            throw new InvalidOperationException($"Ordinal {ordinal} was written with Write{cell.Method} but read with Get{method}.");
        }

        return cell.Value!;
    }
}
