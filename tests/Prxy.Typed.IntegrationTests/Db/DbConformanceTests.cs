using System.Text;
using Prxy.Typed.Testing;

namespace Prxy.Typed.IntegrationTests.Db;

/// <summary>The same assertions on every dialect; each test gets a fresh database (SQLite file / Postgres schema).</summary>
public abstract class DbConformanceTests : IAsyncLifetime
{
    private SqlDatabase? _db;

    protected SqlDatabase Db => _db ?? throw new InvalidOperationException("not opened");

    protected abstract Task<SqlDatabase> OpenAsync();

    protected abstract Task CloseAsync();

    public async Task InitializeAsync()
    {
        _db = await OpenAsync();
        await CreateTableAsync<Item>(Db);
    }

    public Task DisposeAsync() => CloseAsync();

    internal static async Task CreateTableAsync<T>(SqlDatabase db) where T : ITable<T>
    {
        var columns = string.Join(", ", T.Table.Columns.Select(c =>
            $"\"{c.Name}\" {db.Dialect.SqlType(c)}{(c.IsNullable ? "" : " NOT NULL")}{(c.IsPrimaryKey ? " PRIMARY KEY" : "")}"));
        (await db.RawAsync($"CREATE TABLE \"{T.Table.Name}\" ({columns})")).EnsureSuccess();
        db.InvalidateSchema();
    }

    protected static Item NewItem(string id, int? count = null, string? name = null) => new() { Id = id, Count = count, Name = name, Big = 0 };

    private async Task SeedAsync(params Item[] items) => Assert.Equal(items.Length, (await Db.From<Item>().InsertAsync(items)).EnsureSuccess());

    private async Task<string[]> IdsAsync(Filter<Item> filter)
    {
        var rows = (await Db.From<Item>().Where(filter).OrderBy(Item.Columns.Id).ToListAsync()).EnsureSuccess();
        return [.. rows.Select(r => r.Id)];
    }

    [SkippableFact]
    public async Task Every_operator_treats_null_like_sql()
    {
        await SeedAsync(NewItem("a", 1), NewItem("b", 2), NewItem("c", 3), NewItem("n", null));
        var count = Item.Columns.Count;
        Assert.Equal(["b"], await IdsAsync(count.Eq(2)));
        Assert.Equal(["a", "c"], await IdsAsync(count.Neq(2)));
        Assert.Equal(["c"], await IdsAsync(count.Gt(2)));
        Assert.Equal(["b", "c"], await IdsAsync(count.Gte(2)));
        Assert.Equal(["a"], await IdsAsync(count.Lt(2)));
        Assert.Equal(["a", "b"], await IdsAsync(count.Lte(2)));
        Assert.Equal(["n"], await IdsAsync(count.IsNull()));
        Assert.Equal(["a", "b", "c"], await IdsAsync(count.IsNotNull()));
        Assert.Equal(["a", "c"], await IdsAsync(!count.Eq(2)));
        Assert.Equal(["a", "n"], await IdsAsync(count.Eq(1) | count.IsNull()));
        Assert.Equal(["b"], await IdsAsync(count.Gte(2) & count.Lt(3)));
        var chained = (await Db.From<Item>().Where(count.Gte(2)).Where(count.Lt(3)).ToListAsync()).EnsureSuccess();
        Assert.Equal("b", Assert.Single(chained).Id);
    }

    [SkippableFact]
    public async Task Like_and_ILike_take_escaped_wildcards_literally()
    {
        string[] names = ["100%", "100 percent", "a_b", "axb", "back\\slash", "backXslash", "Ärger", "ärger", "ÄRGER"];
        await SeedAsync([.. names.Select((n, i) => NewItem("i" + i, name: n))]);
        async Task<string[]> Names(Filter<Item> f) => [.. (await Db.From<Item>().Where(f).ToListAsync()).EnsureSuccess().Select(r => r.Name!).Order(StringComparer.Ordinal)];
        var name = Item.Columns.Name;
        Assert.Equal(["100%"], await Names(name.Like("100\\%")));
        Assert.Equal(["100 percent", "100%"], await Names(name.Like("100%")));
        Assert.Equal(["a_b"], await Names(name.Like("a\\_b")));
        Assert.Equal(["a_b", "axb"], await Names(name.Like("a_b")));
        Assert.Equal(["back\\slash"], await Names(name.Like("back\\\\slash")));
        Assert.Equal(["back\\slash"], await Names(name.Contains("\\")));
        Assert.Equal(["100%"], await Names(name.EndsWith("%")));
        Assert.Equal(["ärger"], await Names(name.Like("ä%")));
        Assert.Equal(["ÄRGER", "Ärger", "ärger"], await Names(name.ILike("äRg%")));
        Assert.Equal(["a_b"], await Names(name.ILike("A\\_B")));
    }

    [SkippableFact]
    public async Task In_handles_empty_single_and_huge_lists()
    {
        await SeedAsync(NewItem("a", 1), NewItem("b", 2), NewItem("n"));
        Assert.Empty(await IdsAsync(Item.Columns.Count.In([])));
        Assert.Equal(["b"], await IdsAsync(Item.Columns.Count.In(2)));
        var huge = Enumerable.Range(2, 70_000).ToArray();
        Assert.Equal(["b"], await IdsAsync(Item.Columns.Count.In(huge)));
        var hugeText = Enumerable.Range(0, 70_000).Select(i => "x" + i).Append("a").ToArray();
        Assert.Equal(["a"], await IdsAsync(Item.Columns.Id.In(hugeText)));
        Assert.Equal(["a", "n"], await IdsAsync(!Item.Columns.Count.In(2) | Item.Columns.Count.IsNull()));
    }

    [SkippableFact]
    public async Task Ordering_places_nulls_as_asked_and_pages()
    {
        await SeedAsync(NewItem("a", 2), NewItem("b", null), NewItem("c", 1), NewItem("d", 3));
        async Task<string> Order(TableQuery<Item> q) => string.Concat((await q.ToListAsync()).EnsureSuccess().Select(r => r.Id));
        var q = Db.From<Item>();
        Assert.Equal("bcad", await Order(q.OrderBy(Item.Columns.Count, NullsOrder.First)));
        Assert.Equal("cadb", await Order(q.OrderBy(Item.Columns.Count, NullsOrder.Last)));
        Assert.Equal("bdac", await Order(q.OrderByDescending(Item.Columns.Count, NullsOrder.First)));
        Assert.Equal("dacb", await Order(q.OrderByDescending(Item.Columns.Count, NullsOrder.Last)));
        Assert.Equal("ad", await Order(q.OrderBy(Item.Columns.Count, NullsOrder.Last).Offset(1).Limit(2)));
        Assert.Equal("db", await Order(q.OrderBy(Item.Columns.Count, NullsOrder.Last).Offset(2)));
        Assert.Equal("", await Order(q.Limit(0)));
        Assert.Equal(2, (await q.OrderBy(Item.Columns.Id).Offset(2).CountAsync()).EnsureSuccess());
        Assert.Equal(4, (await q.CountAsync()).EnsureSuccess());
        Assert.True((await q.Where(Item.Columns.Count.Eq(3)).ExistsAsync()).EnsureSuccess());
        Assert.False((await q.Where(Item.Columns.Count.Eq(9)).ExistsAsync()).EnsureSuccess());
    }

    [SkippableFact]
    public async Task Single_and_MaybeSingle_report_missing_and_extra_rows()
    {
        await SeedAsync(NewItem("a", 1), NewItem("b", 1));
        var q = Db.From<Item>();
        Assert.Equal("a", (await q.Where(Item.Columns.Id.Eq("a")).SingleAsync()).EnsureSuccess().Id);
        Assert.Equal(DbErrorKind.NotFound, (await q.Where(Item.Columns.Id.Eq("zz")).SingleAsync()).Error?.Kind);
        Assert.Equal(DbErrorKind.TooManyRows, (await q.Where(Item.Columns.Count.Eq(1)).SingleAsync()).Error?.Kind);
        var none = await q.Where(Item.Columns.Id.Eq("zz")).MaybeSingleAsync();
        Assert.True(none.IsSuccess);
        Assert.Null(none.Data);
        Assert.Equal(DbErrorKind.TooManyRows, (await q.Where(Item.Columns.Count.Eq(1)).MaybeSingleAsync()).Error?.Kind);
        var projected = (await q.Where(Item.Columns.Id.Eq("b")).Select<ItemName>().SingleAsync()).EnsureSuccess();
        Assert.Equal(new ItemName { Id = "b", Name = null }, projected);
    }

    [SkippableFact]
    public async Task Upsert_inserts_then_updates_and_insert_conflicts_are_constraint_errors()
    {
        var first = (await Db.From<Item>().UpsertAsync(NewItem("k", 1, "one"), onConflict: Item.Columns.Id)).EnsureSuccess();
        Assert.Equal("one", first.Name);
        var second = (await Db.From<Item>().UpsertAsync(NewItem("k", 2, "two"), onConflict: Item.Columns.Id)).EnsureSuccess();
        Assert.Equal(2, second.Count);
        var stored = (await Db.From<Item>().ToListAsync()).EnsureSuccess();
        Assert.Equal("two", Assert.Single(stored).Name);

        var duplicate = await Db.From<Item>().InsertAsync(NewItem("k"));
        Assert.Equal(DbErrorKind.Constraint, duplicate.Error?.Kind);
        Assert.Contains("items", duplicate.Error!.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Update_and_delete_return_affected_counts()
    {
        await SeedAsync(NewItem("a", 1), NewItem("b", 2), NewItem("c", null));
        Assert.Equal(2, (await Db.From<Item>().Where(Item.Columns.Count.IsNotNull()).UpdateAsync([Item.Columns.Count.Increment(10), Item.Columns.Name.Set("x")])).EnsureSuccess());
        Assert.Equal(["a", "b"], await IdsAsync(Item.Columns.Count.Gt(10)));
        Assert.Equal(1, (await Db.From<Item>().Where(Item.Columns.Id.Eq("a")).UpdateAsync([Item.Columns.Name.SetNull()])).EnsureSuccess());
        Assert.Equal(0, (await Db.From<Item>().Where(Item.Columns.Id.Eq("zz")).UpdateAsync([Item.Columns.Name.Set("y")])).EnsureSuccess());
        Assert.Equal(2, (await Db.From<Item>().Where(Item.Columns.Id.In("a", "c")).DeleteAsync()).EnsureSuccess());
        Assert.Equal(["b"], await IdsAsync(Item.Columns.Id.IsNotNull()));
        Assert.Equal(1, (await Db.From<Item>().DeleteAsync()).EnsureSuccess());
    }

    [SkippableFact]
    public async Task Batched_insert_spans_several_statements_in_one_transaction()
    {
        var rows = Enumerable.Range(0, 3_000).Select(i => NewItem("r" + i, i, "name " + i)).ToList();
        Assert.Equal(3_000, (await Db.From<Item>().InsertAsync(rows)).EnsureSuccess());
        Assert.Equal(3_000, (await Db.From<Item>().CountAsync()).EnsureSuccess());

        // A duplicate in the last chunk rolls back every chunk before it.
        var more = Enumerable.Range(0, 1_500).Select(i => NewItem("m" + i)).Append(NewItem("r5")).ToList();
        Assert.Equal(DbErrorKind.Constraint, (await Db.From<Item>().InsertAsync(more)).Error?.Kind);
        Assert.Equal(3_000, (await Db.From<Item>().CountAsync()).EnsureSuccess());
    }

    [SkippableFact]
    public async Task Transactions_commit_on_success_and_roll_back_on_error_or_exception()
    {
        var committed = await Db.TransactionAsync(async tx =>
        {
            (await tx.From<Item>().InsertAsync(NewItem("t1"))).EnsureSuccess();
            (await tx.From<Item>().InsertAsync(NewItem("t2"))).EnsureSuccess();
            Assert.Equal(2, (await tx.From<Item>().CountAsync()).EnsureSuccess());
        });
        Assert.True(committed.EnsureSuccess());

        var returnedError = await Db.TransactionAsync(async tx =>
        {
            (await tx.From<Item>().InsertAsync(NewItem("t3"))).EnsureSuccess();
            return await tx.From<Item>().InsertAsync(NewItem("t1"));
        });
        Assert.Equal(DbErrorKind.Constraint, returnedError.Error?.Kind);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Db.TransactionAsync(async tx =>
        {
            (await tx.From<Item>().InsertAsync(NewItem("t4"))).EnsureSuccess();
            throw new InvalidOperationException("boom");
        }));

        var thrownDbError = await Db.TransactionAsync(async tx =>
        {
            (await tx.From<Item>().InsertAsync(NewItem("t5"))).EnsureSuccess();
            (await tx.From<Item>().InsertAsync(NewItem("t2"))).EnsureSuccess();
        });
        Assert.Equal(DbErrorKind.Constraint, thrownDbError.Error?.Kind);
        Assert.Equal(["t1", "t2"], await IdsAsync(Item.Columns.Id.IsNotNull()));
    }

    [SkippableFact]
    public async Task Hundred_concurrent_inserts_and_reads_all_succeed()
    {
        var tasks = Enumerable.Range(0, 100).Select(async i =>
        {
            (await Db.From<Item>().InsertAsync(NewItem("c" + i, i))).EnsureSuccess();
            var read = (await Db.From<Item>().Where(Item.Columns.Id.Eq("c" + i)).SingleAsync()).EnsureSuccess();
            Assert.Equal(i, read.Count);
            return (await Db.From<Item>().CountAsync()).EnsureSuccess();
        });
        var counts = await Task.WhenAll(tasks);
        Assert.All(counts, c => Assert.InRange(c, 1, 100));
        Assert.Equal(100, (await Db.From<Item>().CountAsync()).EnsureSuccess());
    }

    [SkippableFact]
    public async Task Every_supported_type_round_trips_exactly()
    {
        var full = new Item
        {
            Id = "full ✓ 日本語 🚀",
            Name = "ünïcödé — ÅÄÖ — \u0001 — 'quoted'; DROP TABLE items; --",
            Count = int.MinValue,
            Big = long.MaxValue,
            Small = short.MinValue,
            Ratio = 0.1 + 0.2,
            Weight = 3.4028235E+38f,
            Price = 12345678901234567.8900m,
            Flag = true,
            Uid = Guid.NewGuid(),
            At = new DateTimeOffset(2026, 12, 4, 13, 14, 15, TimeSpan.FromHours(5)).AddTicks(1234560),
            When = new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc).AddTicks(9999990),
            Data = [0, 1, 2, 255],
            Tags = ["a", "ü", "\"q\""],
            Mood = Mood.Angry,
        };
        var empty = new Item { Id = "empty", Name = "", Big = 0, Data = [], Tags = [], Price = 1.50m, Ratio = double.NaN, Weight = float.NaN, Flag = false };
        var inf = new Item { Id = "inf", Big = -1, Ratio = double.PositiveInfinity, Weight = float.NegativeInfinity, Price = -0.000001m };
        var nulls = new Item { Id = "nulls", Big = 0 };
        await SeedAsync(full, empty, inf, nulls);

        async Task<Item> Get(string id) => (await Db.From<Item>().Where(Item.Columns.Id.Eq(id)).SingleAsync()).EnsureSuccess();
        var f = await Get(full.Id);
        Assert.Equal(full.Name, f.Name);
        Assert.Equal(full.Count, f.Count);
        Assert.Equal(full.Big, f.Big);
        Assert.Equal(full.Small, f.Small);
        Assert.Equal(full.Ratio, f.Ratio);
        Assert.Equal(full.Weight, f.Weight);
        Assert.Equal(full.Price, f.Price);
        Assert.Equal("12345678901234567.8900", f.Price!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(full.Flag, f.Flag);
        Assert.Equal(full.Uid, f.Uid);
        Assert.Equal(full.At, f.At);
        Assert.Equal(TimeSpan.Zero, f.At!.Value.Offset);
        Assert.Equal(full.When, f.When);
        Assert.Equal(DateTimeKind.Utc, f.When!.Value.Kind);
        Assert.Equal(full.Data, f.Data);
        Assert.Equal(full.Tags, f.Tags);
        Assert.Equal(Mood.Angry, f.Mood);

        var e = await Get("empty");
        Assert.Equal("", e.Name);
        Assert.NotNull(e.Data);
        Assert.Empty(e.Data);
        Assert.NotNull(e.Tags);
        Assert.Empty(e.Tags);
        Assert.Equal("1.50", e.Price!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(double.IsNaN(e.Ratio!.Value));
        Assert.True(float.IsNaN(e.Weight!.Value));
        Assert.False(e.Flag);

        var i = await Get("inf");
        Assert.Equal(double.PositiveInfinity, i.Ratio);
        Assert.Equal(float.NegativeInfinity, i.Weight);
        Assert.Equal(-0.000001m, i.Price);

        var n = await Get("nulls");
        Assert.Null(n.Name);
        Assert.Null(n.Data);
        Assert.Null(n.Tags);
        Assert.Null(n.Ratio);
        Assert.Null(n.Mood);

        // Values filter the same way they round-trip.
        Assert.Equal(["empty"], await IdsAsync(Item.Columns.Ratio.Eq(double.NaN)));
        Assert.Equal(["inf"], await IdsAsync(Item.Columns.Ratio.Eq(double.PositiveInfinity)));
        Assert.Equal([full.Id], await IdsAsync(Item.Columns.At.Eq(full.At!.Value)));
        Assert.Equal([full.Id], await IdsAsync(Item.Columns.At.Gt(full.At!.Value.AddTicks(-10))));
        Assert.Empty(await IdsAsync(Item.Columns.At.Gt(full.At!.Value)));
        Assert.Equal([full.Id], await IdsAsync(Item.Columns.Uid.Eq(full.Uid!.Value)));
        Assert.Equal([full.Id], await IdsAsync(Item.Columns.Mood.Eq(Mood.Angry)));
        Assert.Equal([full.Id], await IdsAsync(Item.Columns.Tags.Eq(["a", "ü", "\"q\""])));
        Assert.Equal(["empty"], await IdsAsync(Item.Columns.Price.Eq(1.5m)));
        Assert.Equal(["empty", full.Id], await IdsAsync(Item.Columns.Price.Gt(1.2m)));
        Assert.Equal([full.Id], await IdsAsync(Item.Columns.Name.Eq(full.Name!)));
        Assert.Equal([full.Id], await IdsAsync(Item.Columns.Flag.Eq(true)));
    }

    [SkippableFact]
    public async Task Streaming_yields_every_row()
    {
        await SeedAsync([.. Enumerable.Range(0, 50).Select(i => NewItem("s" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), i))]);
        var seen = new List<string>();
        await foreach (var row in Db.From<Item>().OrderBy(Item.Columns.Count).AsAsyncEnumerable())
        {
            seen.Add(row.EnsureSuccess().Id);
        }

        Assert.Equal(50, seen.Count);
        Assert.Equal("s00", seen[0]);
        Assert.Equal("s49", seen[^1]);
    }

    [SkippableFact]
    public async Task Raw_sql_binds_dollar_placeholders_on_every_dialect()
    {
        await SeedAsync(NewItem("a", 1, "x'; --"), NewItem("b", 2));
        var rows = (await Db.RawAsync("SELECT id, name FROM items WHERE count >= $1 AND name = $2", [1, "x'; --"])).EnsureSuccess();
        var row = Assert.Single(rows);
        Assert.Equal("a", row["id"]);
        Assert.Equal("x'; --", row["name"]);
        Assert.Equal(DbErrorKind.InvalidQuery, (await Db.RawAsync("SELECT nope FROM items")).Error?.Kind);
    }

    [SkippableFact]
    public async Task Untyped_chain_filters_orders_and_pages_by_name()
    {
        await SeedAsync(NewItem("a", 1, "x"), NewItem("b", 2, "y"), NewItem("c", 3, null), NewItem("d", 4, "ü"));
        var rows = (await Db.From("items").Select("id, count").Gte("count", 2).Neq("id", "d").Order("count", ascending: false).Limit(5).ExecuteAsync()).EnsureSuccess();
        Assert.Equal(["c", "b"], rows.Select(r => (string)r["id"]!));
        Assert.Equal(2, rows[0].Count);
        Assert.Equal(["a"], (await Db.From("items").Select("id").Like("name", "x%").ExecuteAsync()).EnsureSuccess().Select(r => (string)r["id"]!));
        Assert.Equal(["d"], (await Db.From("items").Select("id").ILike("name", "Ü").ExecuteAsync()).EnsureSuccess().Select(r => (string)r["id"]!));
        Assert.Equal(["c"], (await Db.From("items").Select("id").IsNull("name").ExecuteAsync()).EnsureSuccess().Select(r => (string)r["id"]!));
        Assert.Equal(["a", "d"], (await Db.From("items").Select("id").In("id", ["a", "d", "q"]).Order("id").ExecuteAsync()).EnsureSuccess().Select(r => (string)r["id"]!));
        Assert.Equal(["b", "c"], (await Db.From("items").Select("id").Lt("count", 4).Gt("count", 1).Order("id").Offset(0).ExecuteAsync()).EnsureSuccess().Select(r => (string)r["id"]!));
        Assert.Equal(["d"], (await Db.From("items").Select("id").Order("name", ascending: true, nullsFirst: true).Offset(3).ExecuteAsync()).EnsureSuccess().Select(r => (string)r["id"]!));

        Assert.Equal(1, (await Db.From("items").InsertAsync(new Dictionary<string, object?> { ["id"] = "e", ["big"] = 7L })).EnsureSuccess());
        Assert.Equal(1, (await Db.From("items").Eq("id", "e").UpdateAsync(new Dictionary<string, object?> { ["name"] = "eee" })).EnsureSuccess());
        Assert.Equal(1, (await Db.From("items").Eq("name", "eee").DeleteAsync()).EnsureSuccess());
    }

    [SkippableFact]
    public async Task Untyped_chain_refuses_unknown_and_malformed_identifiers_and_keeps_the_table()
    {
        await SeedAsync(NewItem("a", 1));
        string[] bad = ["nope", "id\"; DROP TABLE items; --", "id;", "i\0d", new string('x', 64), "id name", "Id"];
        foreach (var name in bad)
        {
            var select = await Db.From("items").Select(name).ExecuteAsync();
            Assert.Equal(DbErrorKind.InvalidQuery, select.Error?.Kind);
            var filter = await Db.From("items").Eq(name, "a").DeleteAsync();
            Assert.Equal(DbErrorKind.InvalidQuery, filter.Error?.Kind);
            var table = await Db.From(name).ExecuteAsync();
            Assert.Equal(DbErrorKind.InvalidQuery, table.Error?.Kind);
        }

        // The analyzer flags this literal at compile time (PRXY0031); here the runtime check is under test.
#pragma warning disable PRXY0031
        var unknown = await Db.From("items").Eq("user_idd", "x").ExecuteAsync();
#pragma warning restore PRXY0031
        Assert.Contains("user_idd", unknown.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("items", unknown.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await Db.From<Item>().CountAsync()).EnsureSuccess());

        // Values are data, never SQL.
        var evil = "'; DROP TABLE items; --";
        Assert.Empty((await Db.From("items").Eq("id", evil).ExecuteAsync()).EnsureSuccess());
        Assert.Equal(1, (await Db.From<Item>().CountAsync()).EnsureSuccess());
    }

    [SkippableFact]
    public async Task Schema_changes_are_seen_after_InvalidateSchema()
    {
        Assert.Equal(DbErrorKind.InvalidQuery, (await Db.From("later").ExecuteAsync()).Error?.Kind);
        (await Db.RawAsync("CREATE TABLE later (id TEXT PRIMARY KEY)")).EnsureSuccess();
        Db.InvalidateSchema();
        Assert.Empty((await Db.From("later").Select("id").ExecuteAsync()).EnsureSuccess());
    }

    [SkippableFact]
    public async Task Cancelled_calls_return_cancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var result = await Db.From<Item>().ToListAsync(cts.Token);
        Assert.Equal(DbErrorKind.Cancelled, result.Error?.Kind);
    }

    [SkippableFact]
    public async Task Query_text_is_built_once_per_shape()
    {
        await SeedAsync(NewItem("a", 1));
        for (var i = 0; i < 5; i++)
        {
            (await Db.From<Item>().Where(Item.Columns.Id.Eq("a" + i) & Item.Columns.Count.In(Enumerable.Range(0, i))).Limit(i).ToListAsync()).EnsureSuccess();
        }

        var cached = Db.Dialect.CachedStatementCount;
        (await Db.From<Item>().Where(Item.Columns.Id.Eq("zz") & Item.Columns.Count.In(1, 2, 3)).Limit(9).ToListAsync()).EnsureSuccess();
        Assert.Equal(cached, Db.Dialect.CachedStatementCount);
        (await Db.From<Item>().Where(Item.Columns.Id.Eq("zz") | Item.Columns.Count.In(1, 2, 3)).Limit(9).ToListAsync()).EnsureSuccess();
        Assert.Equal(cached + 1, Db.Dialect.CachedStatementCount);
    }

    [SkippableFact]
    public async Task A_table_its_migration_has_not_created_yet_is_an_error_value_naming_it_until_it_exists()
    {
        for (var i = 0; i < 3; i++)
        {
            var missing = await Db.From<Embedded>().Where(Embedded.Columns.Id.Eq("x")).MaybeSingleAsync();
            Assert.Equal(DbErrorKind.InvalidQuery, missing.Error?.Kind);
            Assert.Contains("embedded", missing.Error!.Message, StringComparison.Ordinal);
        }

        await CreateTableAsync<Embedded>(Db);
        (await Db.From<Embedded>().InsertAsync(new Embedded { Id = "x" })).EnsureSuccess();
        Assert.Equal("x", (await Db.From<Embedded>().Where(Embedded.Columns.Id.Eq("x")).MaybeSingleAsync()).EnsureSuccess()?.Id);
    }

    [SkippableFact]
    public async Task Repeated_shapes_bind_new_values_see_new_rows_and_survive_schema_changes()
    {
        // Run every shape often enough to be kept prepared (SQLite: per connection; Postgres: auto-prepare after two uses).
        for (var i = 0; i < 4; i++)
        {
            (await Db.From<Item>().InsertAsync(NewItem("k" + i, i % 2 == 0 ? null : i, "n" + i))).EnsureSuccess();
            Assert.Equal(2, (await Db.From<Item>().InsertAsync([NewItem("b" + i, i), NewItem("c" + i, name: "c")])).EnsureSuccess());
        }

        for (var i = 0; i < 4; i++)
        {
            var row = (await Db.From<Item>().Where(Item.Columns.Id.Eq("k" + i)).SingleAsync()).EnsureSuccess();
            Assert.Equal(("n" + i, i % 2 == 0 ? null : (int?)i), (row.Name, row.Count));
            Assert.Equal(i, (await Db.From<Item>().Where(Item.Columns.Id.Eq("b" + i)).SingleAsync()).EnsureSuccess().Count);
            Assert.Equal(DbErrorKind.NotFound, (await Db.From<Item>().Where(Item.Columns.Id.Eq("new")).SingleAsync()).Error?.Kind);
            Assert.Equal(12, (await Db.From("items").ExecuteAsync()).EnsureSuccess().Count);
        }

        // A write after the reads is seen by the same shapes.
        (await Db.From<Item>().InsertAsync(NewItem("new", 7))).EnsureSuccess();
        Assert.Equal(7, (await Db.From<Item>().Where(Item.Columns.Id.Eq("new")).SingleAsync()).EnsureSuccess().Count);

        // A column added by a migration shows up in the untyped `SELECT *` that ran before it; typed shapes keep working.
        (await Db.RawAsync("ALTER TABLE items ADD COLUMN extra TEXT DEFAULT 'x'")).EnsureSuccess();
        Db.InvalidateSchema();
        var rows = (await Db.From("items").ExecuteAsync()).EnsureSuccess();
        Assert.Equal(13, rows.Count);
        Assert.All(rows, r => Assert.Equal("x", r["extra"]));
        Assert.Equal(7, (await Db.From<Item>().Where(Item.Columns.Id.Eq("new")).SingleAsync()).EnsureSuccess().Count);
        Assert.Equal(13, (await Db.From<Item>().ToListAsync()).EnsureSuccess().Count);
    }
}

public sealed class SqliteConformanceTests : DbConformanceTests
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "prxy-db-" + Guid.NewGuid().ToString("N"));
    private SqliteDatabase? _db;

    protected override async Task<SqlDatabase> OpenAsync()
    {
        _db = await SqliteDatabase.OpenAsync(Path.Combine(_dir, "test.db"), new DatabaseOptions { CommandTimeout = TimeSpan.FromSeconds(10) });
        return _db;
    }

    protected override async Task CloseAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [SkippableFact]
    public async Task Kept_commands_are_reused_and_release_the_wal_after_each_read()
    {
        var db = (SqliteDatabase)Db;
        (await db.From<Item>().InsertAsync([.. Enumerable.Range(0, 50).Select(i => NewItem("r" + i, i))])).EnsureSuccess();
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(i, (await db.From<Item>().Where(Item.Columns.Id.Eq("r" + i)).SingleAsync()).EnsureSuccess().Count);
        }

        // One kept command per shape and connection, not one per call.
        var kept = db.KeptCommandCount;
        Assert.InRange(kept, 2, 8);
        for (var i = 0; i < 50; i++)
        {
            (await db.From<Item>().Where(Item.Columns.Id.Eq("r" + i)).SingleAsync()).EnsureSuccess();
        }

        Assert.Equal(kept, db.KeptCommandCount);

        // More shapes than a connection keeps: each still reads right, and the kept set stays bounded.
        string[] names = ["id", "name", "count", "big", "small", "ratio", "weight", "price", "flag", "uid", "at", "when_utc", "data", "tags", "mood"];
        foreach (var selected in names)
        {
            foreach (var filtered in names.Take(5))
            {
                object value = filtered switch { "id" => "r7", "name" => "none", _ => -1 };
                var rows = (await db.From("items").Select(selected).Eq(filtered, value).ExecuteAsync()).EnsureSuccess();
                Assert.Equal(filtered == "id" ? 1 : 0, rows.Count);
            }
        }

        Assert.InRange(db.KeptCommandCount, 64, 64 + 4); // one reader connection (calls run one after another) and the writer's insert shapes

        // A kept command is reset after each read, so it holds no read snapshot: a full checkpoint finds no busy reader.
        var checkpoint = (await db.RawAsync("PRAGMA wal_checkpoint(TRUNCATE)")).EnsureSuccess();
        Assert.Equal(0L, Assert.Single(checkpoint)["busy"]);
    }

    [SkippableFact]
    public async Task Vectors_round_trip_as_float32_blobs()
    {
        await CreateTableAsync<Embedded>(Db);
        float[] v = [1.5f, -0f, float.Epsilon];
        (await Db.From<Embedded>().InsertAsync(new Embedded { Id = "v", Embedding = v })).EnsureSuccess();
        (await Db.From<Embedded>().InsertAsync(new Embedded { Id = "n" })).EnsureSuccess();
        var rows = (await Db.From<Embedded>().OrderBy(Embedded.Columns.Id).ToListAsync()).EnsureSuccess();
        Assert.Null(rows[0].Embedding);
        Assert.Equal(v, rows[1].Embedding);
        var raw = (await Db.RawAsync("SELECT length(embedding) AS n FROM embedded WHERE id = 'v'")).EnsureSuccess();
        Assert.Equal(12L, raw[0]["n"]);
    }
}

public sealed class PostgresConformanceTests : DbConformanceTests
{
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");
    private PostgresDatabase? _db;

    protected override async Task<SqlDatabase> OpenAsync()
    {
        var admin = await PostgresDatabase.OpenAsync(TestServices.Postgres, new DatabaseOptions { CreateVectorExtension = false });
        await using (admin)
        {
            (await admin.RawAsync($"CREATE SCHEMA {_schema}")).EnsureSuccess();
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(TestServices.Postgres) { SearchPath = _schema + ",public" };
        _db = await PostgresDatabase.OpenAsync(builder.ConnectionString, new DatabaseOptions { CommandTimeout = TimeSpan.FromSeconds(10) });
        return _db;
    }

    protected override async Task CloseAsync()
    {
        if (_db is null)
        {
            return;
        }

        await _db.RawAsync($"DROP SCHEMA {_schema} CASCADE");
        await _db.DisposeAsync();
    }

    [SkippableFact]
    public async Task Query_shapes_are_prepared_on_the_server()
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(TestServices.Postgres) { SearchPath = _schema + ",public", MaxPoolSize = 1 };
        await using var single = await PostgresDatabase.OpenAsync(builder.ConnectionString, new DatabaseOptions { CreateVectorExtension = false });
        (await single.From<Item>().InsertAsync(NewItem("p", 1))).EnsureSuccess();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1, (await single.From<Item>().Where(Item.Columns.Id.Eq("p")).SingleAsync()).EnsureSuccess().Count);
        }

        // Read through the same (single-connection) pool of query shapes: prepared statements belong to a session.
        var prepared = (await single.From<PreparedStatement>().ToListAsync()).EnsureSuccess();
        Assert.True(prepared.Any(r => r.Statement.Contains("FROM \"items\" WHERE \"id\" = $1", StringComparison.Ordinal)), string.Join("\n", prepared.Select(r => r.Statement)));

        // Raw SQL runs on connections that are reset when returned: session settings do not outlive the call.
        (await single.RawAsync("SET application_name = 'leaked'")).EnsureSuccess();
        Assert.NotEqual("leaked", Assert.Single((await single.RawAsync("SHOW application_name")).EnsureSuccess())["application_name"]);

        // The server refuses a prepared `SELECT *` whose table gained a column; the call runs it once more and succeeds.
        for (var i = 0; i < 3; i++)
        {
            Assert.Single((await single.From("items").ExecuteAsync()).EnsureSuccess());
        }

        (await single.RawAsync("ALTER TABLE items ADD COLUMN extra TEXT DEFAULT 'x'")).EnsureSuccess();
        single.InvalidateSchema();
        Assert.Equal("x", Assert.Single((await single.From("items").ExecuteAsync()).EnsureSuccess())["extra"]);
    }

    [SkippableFact]
    public async Task Vectors_round_trip_as_pgvector()
    {
        var installed = (await Db.RawAsync("SELECT 1 FROM pg_extension WHERE extname = 'vector'")).EnsureSuccess();
        Skip.If(installed.Count == 0 && !TestServices.IsCi, "pgvector is not installed on the test Postgres");
        await CreateTableAsync<Embedded>(Db);
        float[] v = [1.5f, -0f, 1e-30f];
        (await Db.From<Embedded>().InsertAsync(new Embedded { Id = "v", Embedding = v })).EnsureSuccess();
        (await Db.From<Embedded>().InsertAsync(new Embedded { Id = "n" })).EnsureSuccess();
        var rows = (await Db.From<Embedded>().OrderBy(Embedded.Columns.Id).ToListAsync()).EnsureSuccess();
        Assert.Null(rows[0].Embedding);
        Assert.Equal(v, rows[1].Embedding);
    }
}
