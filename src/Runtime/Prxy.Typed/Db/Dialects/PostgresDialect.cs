using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace Prxy.Typed;

/// <summary>PostgreSQL: native types (timestamptz, uuid, numeric, jsonb, pgvector <c>vector(n)</c>), positional <c>$n</c> parameters.</summary>
internal sealed class PostgresDialect : SqlDialect
{
    public override string SystemName => "postgresql";

    public override SqlDialectKind Kind => SqlDialectKind.Postgres;

    // The wire protocol counts parameters in an Int16.
    public override int MaxParameters => 65535;

    public override string SqlType(ColumnInfo column) => column.Kind switch
    {
        ColumnKind.String => "text",
        ColumnKind.Boolean => "boolean",
        ColumnKind.Int16 => "smallint",
        ColumnKind.Int32 => "integer",
        ColumnKind.Int64 => "bigint",
        ColumnKind.Single => "real",
        ColumnKind.Double => "double precision",
        ColumnKind.Decimal => "numeric",
        ColumnKind.Guid => "uuid",
        ColumnKind.DateTimeOffset or ColumnKind.DateTime => "timestamptz",
        ColumnKind.Bytes => "bytea",
        ColumnKind.Enum => Type.GetTypeCode(Enum.GetUnderlyingType(column.ClrType)) switch
        {
            TypeCode.Int64 or TypeCode.UInt32 or TypeCode.UInt64 => "bigint",
            TypeCode.Int16 or TypeCode.Byte or TypeCode.SByte => "smallint",
            _ => "integer",
        },
        ColumnKind.Json => "jsonb",
        ColumnKind.Vector => "vector(" + column.VectorDimensions.ToString(CultureInfo.InvariantCulture) + ")",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column.Kind, "Unknown column kind."),
    };

    public override void AppendLike(StringBuilder sql, string quoted, string placeholder, bool ignoreCase)
        => sql.Append(quoted).Append(ignoreCase ? " ILIKE " : " LIKE ").Append(placeholder).Append(" ESCAPE '\\'");

    // One array parameter: any length, one SQL text for every list size.
    public override void AppendIn(StringBuilder sql, ColumnInfo? column, string quoted, string placeholder)
        => sql.Append(quoted).Append(" = ANY(").Append(placeholder).Append(')');

    public override object InListValue(ColumnInfo? column, IReadOnlyList<object?> values)
    {
        object? first = null;
        foreach (var v in values)
        {
            if (v is not null)
            {
                first = ToProvider(v);
                break;
            }
        }

        return first switch
        {
            null => column is null ? Array.Empty<string>() : EmptyArray(column),
            string => Typed<string>(values),
            long => Typed<long>(values),
            int => Typed<int>(values),
            short => Typed<short>(values),
            bool => Typed<bool>(values),
            double => Typed<double>(values),
            float => Typed<float>(values),
            decimal => Typed<decimal>(values),
            Guid => Typed<Guid>(values),
            DateTime => Typed<DateTime>(values),
            DateTimeOffset => Typed<DateTimeOffset>(values),
            _ => throw new InvalidQueryException($"IN lists cannot hold values of type {first.GetType().Name} on Postgres."),
        };
    }

    private static Array EmptyArray(ColumnInfo column) => column.Kind switch
    {
        ColumnKind.Boolean => Array.Empty<bool>(),
        ColumnKind.Int16 => Array.Empty<short>(),
        ColumnKind.Int32 => Array.Empty<int>(),
        ColumnKind.Int64 or ColumnKind.Enum => Array.Empty<long>(),
        ColumnKind.Single => Array.Empty<float>(),
        ColumnKind.Double => Array.Empty<double>(),
        ColumnKind.Decimal => Array.Empty<decimal>(),
        ColumnKind.Guid => Array.Empty<Guid>(),
        ColumnKind.DateTimeOffset or ColumnKind.DateTime => Array.Empty<DateTime>(),
        _ => Array.Empty<string>(),
    };

    private static T?[] Typed<T>(IReadOnlyList<object?> values)
    {
        var array = new T?[values.Count];
        for (var i = 0; i < array.Length; i++)
        {
            var value = ToProvider(values[i]);
            array[i] = value switch
            {
                null => default,
                T t => t,
                _ => throw new InvalidQueryException($"An IN list mixes {typeof(T).Name} and {value.GetType().Name} values."),
            };
        }

        return array;
    }

    // Npgsql commands are created per call (the server-side statement cache is Npgsql's auto-prepare), so binding always adds.
    public override void BindArguments(DbCommand command, IReadOnlyList<object?> args)
    {
        var parameters = ((NpgsqlCommand)command).Parameters;
        parameters.Clear();
        foreach (var value in args)
        {
            parameters.Add(value is JsonText json
                ? new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = json.Text }
                : new NpgsqlParameter { Value = ToProvider(value) ?? DBNull.Value });
        }
    }

    public override void BindRow<T>(DbCommand command, int offset, T row)
    {
        var parameters = ((NpgsqlCommand)command).Parameters;
        var slots = new NpgsqlParameter[T.Table.Columns.Count];
        T.Write(row, new PostgresRowWriter(slots));
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i] ?? new NpgsqlParameter { Value = DBNull.Value };
            if (offset + i < parameters.Count)
            {
                parameters[offset + i] = slot;
            }
            else
            {
                parameters.Add(slot);
            }
        }
    }

    public override T Read<T>(DbDataReader reader) => T.Read(new PostgresRowReader((NpgsqlDataReader)reader));

    public override object? ReadValue(DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var value = reader.GetValue(ordinal);
        return value is Vector vector ? vector.ToArray() : value;
    }

    public override string LiveSchemaSql =>
        "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = ANY (current_schemas(false))";

    /// <summary>The value as Npgsql should send it: UTC timestamps, enums as integers, vectors as <see cref="Vector"/>.</summary>
    public static object? ToProvider(object? value) => value switch
    {
        null or DBNull => null,
        DateTimeOffset dto => dto.ToUniversalTime(),
        DateTime dt => SqlDialect.ToUtc(dt),
        float[] vector => new Vector(vector),
        ReadOnlyMemory<float> vector => new Vector(vector),
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
        JsonText json => json.Text,
        _ => value,
    };

    // "cached plan must not change result type": an auto-prepared `SELECT *` after ALTER TABLE. Npgsql drops the statement
    // when the server refuses it, so the next run prepares it again.
    public override bool IsStalePreparedStatement(Exception exception) => exception is PostgresException { SqlState: "0A000" } pg
        && pg.MessageText.Contains("cached plan", StringComparison.Ordinal);

    public override DbError MapError(Exception exception, string what)
    {
        switch (exception)
        {
            case PostgresException pg:
                var kind = pg.SqlState switch
                {
                    ['2', '3', ..] => DbErrorKind.Constraint,
                    "40001" or "40P01" => DbErrorKind.Conflict,
                    "57014" => DbErrorKind.Timeout,
                    ['0', '8', ..] or "57P01" or "57P02" or "57P03" or "53300" => DbErrorKind.Unavailable,
                    ['4', '2', ..] or ['2', '2', ..] or ['0', 'A', ..] => DbErrorKind.InvalidQuery,
                    _ => DbErrorKind.Unknown,
                };
                var detail = pg.MessageText + (pg.ConstraintName is { } c ? $" (constraint {c})" : "");
                return new DbError(kind, Describe(what, detail), exception) { Code = pg.SqlState };
            case NpgsqlException { InnerException: TimeoutException }:
                return new DbError(DbErrorKind.Timeout, Describe(what, "the command timed out"), exception);
            case NpgsqlException npgsql when npgsql.IsTransient || npgsql.InnerException is SocketException or IOException or EndOfStreamException:
                return new DbError(DbErrorKind.Unavailable, Describe(what, "the database is unreachable (" + npgsql.Message + ")"), exception);
            case TimeoutException:
                return new DbError(DbErrorKind.Timeout, Describe(what, "the command timed out"), exception);
            case SocketException or IOException:
                return new DbError(DbErrorKind.Unavailable, Describe(what, "the database is unreachable (" + exception.Message + ")"), exception);
            case InvalidCastException or FormatException or JsonException:
                return new DbError(DbErrorKind.InvalidQuery, Describe(what, exception.Message), exception);
            default:
                return new DbError(DbErrorKind.Unknown, Describe(what, exception.Message), exception);
        }
    }
}

/// <summary>Reads Npgsql values as the generated records expect them.</summary>
internal readonly struct PostgresRowReader(NpgsqlDataReader reader) : IRowReader
{
    public bool IsNull(int ordinal) => reader.IsDBNull(ordinal);

    public string GetString(int ordinal) => reader.GetString(ordinal);

    public bool GetBoolean(int ordinal) => reader.GetBoolean(ordinal);

    public short GetInt16(int ordinal) => reader.GetInt16(ordinal);

    public int GetInt32(int ordinal) => reader.GetInt32(ordinal);

    public long GetInt64(int ordinal) => reader.GetInt64(ordinal);

    public float GetSingle(int ordinal) => reader.GetFloat(ordinal);

    public double GetDouble(int ordinal) => reader.GetDouble(ordinal);

    public decimal GetDecimal(int ordinal) => reader.GetDecimal(ordinal);

    public Guid GetGuid(int ordinal) => reader.GetGuid(ordinal);

    public DateTimeOffset GetDateTimeOffset(int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public DateTime GetDateTime(int ordinal) => reader.GetFieldValue<DateTime>(ordinal);

    public byte[] GetBytes(int ordinal) => reader.GetFieldValue<byte[]>(ordinal);

    public float[] GetVector(int ordinal) => reader.GetFieldValue<Vector>(ordinal).ToArray();

    public T? GetJson<T>(int ordinal, JsonTypeInfo<T> typeInfo) => JsonSerializer.Deserialize(reader.GetString(ordinal), typeInfo);
}

/// <summary>Fills one parameter slot per column ordinal; the caller appends them in order (Npgsql parameters are positional).</summary>
internal readonly struct PostgresRowWriter(NpgsqlParameter[] slots) : IRowWriter
{
    public void WriteNull(int ordinal) => slots[ordinal] = new NpgsqlParameter { Value = DBNull.Value };

    public void WriteString(int ordinal, string value) => slots[ordinal] = new NpgsqlParameter<string> { TypedValue = value };

    public void WriteBoolean(int ordinal, bool value) => slots[ordinal] = new NpgsqlParameter<bool> { TypedValue = value };

    public void WriteInt16(int ordinal, short value) => slots[ordinal] = new NpgsqlParameter<short> { TypedValue = value };

    public void WriteInt32(int ordinal, int value) => slots[ordinal] = new NpgsqlParameter<int> { TypedValue = value };

    public void WriteInt64(int ordinal, long value) => slots[ordinal] = new NpgsqlParameter<long> { TypedValue = value };

    public void WriteSingle(int ordinal, float value) => slots[ordinal] = new NpgsqlParameter<float> { TypedValue = value };

    public void WriteDouble(int ordinal, double value) => slots[ordinal] = new NpgsqlParameter<double> { TypedValue = value };

    public void WriteDecimal(int ordinal, decimal value) => slots[ordinal] = new NpgsqlParameter<decimal> { TypedValue = value };

    public void WriteGuid(int ordinal, Guid value) => slots[ordinal] = new NpgsqlParameter<Guid> { TypedValue = value };

    public void WriteDateTimeOffset(int ordinal, DateTimeOffset value) => slots[ordinal] = new NpgsqlParameter<DateTimeOffset> { TypedValue = value.ToUniversalTime() };

    public void WriteDateTime(int ordinal, DateTime value) => slots[ordinal] = new NpgsqlParameter<DateTime> { TypedValue = SqlDialect.ToUtc(value) };

    public void WriteBytes(int ordinal, byte[] value) => slots[ordinal] = new NpgsqlParameter<byte[]> { TypedValue = value };

    public void WriteVector(int ordinal, ReadOnlyMemory<float> value) => slots[ordinal] = new NpgsqlParameter<Vector> { TypedValue = new Vector(value) };

    public void WriteJson<T>(int ordinal, T value, JsonTypeInfo<T> typeInfo)
        => slots[ordinal] = new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = JsonSerializer.Serialize(value, typeInfo) };
}
