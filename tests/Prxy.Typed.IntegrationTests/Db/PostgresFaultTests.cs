using System.Diagnostics;
using Prxy.Typed.Testing;

namespace Prxy.Typed.IntegrationTests.Db;

/// <summary>A private Postgres is stopped in the middle of use: calls return errors within the timeout, then recover.</summary>
public sealed class PostgresFaultTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // Long enough for the first connection to load types on a busy machine; short enough to keep the tests quick.
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    [SkippableFact]
    public async Task Calls_return_unavailable_while_the_server_is_down_and_succeed_after_it_restarts()
    {
        await using var server = await PrivatePostgres.StartAsync();
        await using var db = await PostgresDatabase.OpenAsync(server.ConnectionString, new DatabaseOptions { CommandTimeout = CommandTimeout, CreateVectorExtension = false });
        await DbConformanceTests.CreateTableAsync<Item>(db);
        (await db.From<Item>().InsertAsync(new Item { Id = "before", Big = 1 })).EnsureSuccess();
        Assert.Equal(1, (await db.From<Item>().CountAsync()).EnsureSuccess());

        await server.StopAsync();

        var calls = new Func<Task<DbError?>>[]
        {
            async () => (await db.From<Item>().ToListAsync()).Error,
            async () => (await db.From<Item>().Where(Item.Columns.Id.Eq("before")).MaybeSingleAsync()).Error,
            async () => (await db.From<Item>().InsertAsync(new Item { Id = "during", Big = 2 })).Error,
            async () => (await db.From<Item>().InsertAsync([new Item { Id = "d1", Big = 2 }, new Item { Id = "d2", Big = 2 }])).Error,
            async () => (await db.From<Item>().Where(Item.Columns.Id.Eq("before")).UpdateAsync([Item.Columns.Big.Increment(1)])).Error,
            async () => (await db.From<Item>().DeleteAsync()).Error,
            async () => (await db.RawAsync("SELECT 1")).Error,
            async () => (await db.TransactionAsync(async tx => (await tx.From<Item>().CountAsync()).EnsureSuccess())).Error,
            async () =>
            {
                await foreach (var row in db.From<Item>().AsAsyncEnumerable())
                {
                    return row.Error;
                }

                return null;
            },
        };
        foreach (var call in calls)
        {
            var watch = Stopwatch.StartNew();
            var error = await call().WaitAsync(CommandTimeout * 5);
            Assert.NotNull(error);
            Assert.Equal(DbErrorKind.Unavailable, error.Kind);
            Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.True(watch.Elapsed < CommandTimeout + TimeSpan.FromSeconds(3), $"the call took {watch.Elapsed} with a {CommandTimeout} command timeout");
        }

        await server.StartAgainAsync();

        // The same database object works again: no reopen, no stale pooled connection failing the first call.
        Assert.Equal(1, (await db.From<Item>().CountAsync()).EnsureSuccess());
        (await db.From<Item>().InsertAsync(new Item { Id = "after", Big = 3 })).EnsureSuccess();
        Assert.Equal(["after", "before"], (await db.From<Item>().OrderBy(Item.Columns.Id).ToListAsync()).EnsureSuccess().Select(r => r.Id));
    }

    [SkippableFact]
    public async Task Untyped_queries_on_a_down_server_return_unavailable()
    {
        await using var server = await PrivatePostgres.StartAsync();
        await using var db = await PostgresDatabase.OpenAsync(server.ConnectionString, new DatabaseOptions { CommandTimeout = CommandTimeout, CreateVectorExtension = false });
        await server.StopAsync();

        // The schema was never read: reading it fails as Unavailable, and is retried once the server is back.
        var down = await db.From("items").Eq("id", "x").ExecuteAsync().WaitAsync(CommandTimeout * 5);
        Assert.Equal(DbErrorKind.Unavailable, down.Error?.Kind);

        await server.StartAgainAsync();
        await DbConformanceTests.CreateTableAsync<Item>(db);
        Assert.Empty((await db.From("items").Eq("id", "x").ExecuteAsync()).EnsureSuccess());
    }

    [SkippableFact]
    public async Task A_frozen_server_makes_calls_time_out_and_recovers_when_it_resumes()
    {
        await using var server = await PrivatePostgres.StartAsync();
        await using var db = await PostgresDatabase.OpenAsync(server.ConnectionString, new DatabaseOptions { CommandTimeout = CommandTimeout, CreateVectorExtension = false });
        await DbConformanceTests.CreateTableAsync<Item>(db);
        (await db.From<Item>().InsertAsync(new Item { Id = "a", Big = 1 })).EnsureSuccess();

        var total = Stopwatch.StartNew();
        await server.FreezeAsync();
        output.WriteLine($"frozen after {total.Elapsed}");
        try
        {
            var watch = Stopwatch.StartNew();
            var frozen = await db.From<Item>().ToListAsync().WaitAsync(CommandTimeout * 10);
            output.WriteLine($"call returned {frozen} after {watch.Elapsed}");
            Assert.True(frozen.Error?.Kind is DbErrorKind.Timeout or DbErrorKind.Unavailable, $"got {frozen}");
            Assert.True(watch.Elapsed < CommandTimeout * 2, $"the call took {watch.Elapsed} with a {CommandTimeout} command timeout");
        }
        finally
        {
            await server.ThawAsync();
        }

        output.WriteLine($"thawed after {total.Elapsed}");
        Assert.Equal(1, (await db.From<Item>().CountAsync()).EnsureSuccess());
        output.WriteLine($"recovered after {total.Elapsed}");
    }
}
