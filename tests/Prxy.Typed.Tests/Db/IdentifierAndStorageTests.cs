namespace Prxy.Typed.Tests.Db;

public sealed class IdentifierAndStorageTests
{
    [Theory]
    [InlineData("user_id")]
    [InlineData("_x1")]
    [InlineData("A")]
    public void Plain_identifiers_are_accepted(string name) => Assert.Null(RowQuery.Malformed(name));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a\"b", "'\"'")]
    [InlineData("a;b", "';'")]
    [InlineData("a\0b", "NUL")]
    [InlineData("1abc", "'1'")]
    [InlineData("a b", "' '")]
    [InlineData("ünï", "'ü'")]
    public void Malformed_identifiers_are_refused_with_the_reason(string name, string reason)
        => Assert.Contains(reason, RowQuery.Malformed(name), StringComparison.Ordinal);

    [Fact]
    public void Identifiers_longer_than_63_bytes_are_refused()
    {
        Assert.Null(RowQuery.Malformed(new string('x', 63)));
        Assert.Contains("63 bytes", RowQuery.Malformed(new string('x', 64)), StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_storage_keeps_nan_decimal_scale_and_microseconds()
    {
        Assert.Equal("NaN", SqliteDialect.ToStorage(double.NaN));
        Assert.Equal(double.PositiveInfinity, SqliteDialect.ToStorage(double.PositiveInfinity));
        Assert.Equal("1.50", SqliteDialect.ToStorage(1.50m));
        Assert.Equal(1L, SqliteDialect.ToStorage(DateTimeOffset.UnixEpoch.AddTicks(10)));
        Assert.Equal(-1L, SqliteDialect.ToStorage(DateTimeOffset.UnixEpoch.AddTicks(-10)));
        Assert.Equal(1L, SqliteDialect.ToStorage(true));
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3f }, SqliteDialect.ToStorage(new[] { 1f }));
    }

    [Fact]
    public void Sqlite_in_lists_are_one_json_array()
    {
        var dialect = new SqliteDialect();
        Assert.Equal("[]", dialect.InListValue(null, []));
        Assert.Equal("[1,\"a\\u0027\\u0022;\",null,\"NaN\"]", dialect.InListValue(null, [1, "a'\";", null, double.NaN]));
    }

    [Fact]
    public void Postgres_in_lists_are_typed_arrays_and_mixed_types_are_invalid_queries()
    {
        var dialect = new PostgresDialect();
        Assert.IsType<long[]>(dialect.InListValue(null, [1L, 2L]));
        Assert.IsType<string[]>(dialect.InListValue(null, ["a", null]));
        Assert.Throws<InvalidQueryException>(() => dialect.InListValue(null, ["a", 1]));
    }
}
