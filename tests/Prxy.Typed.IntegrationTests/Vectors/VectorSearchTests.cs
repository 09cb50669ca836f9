using Prxy.Typed.Testing;
using Xunit.Abstractions;

namespace Prxy.Typed.IntegrationTests.Vectors;

[Table("vec_docs")]
public sealed partial record VecDoc
{
    [PrimaryKey] public int Id { get; init; }
    public required string Category { get; init; }
    public int Bucket { get; init; }
    [Vector(16)] public float[]? Embedding { get; init; }
}

/// <summary>
/// The same searches on pgvector, sqlite-vec and the in-process scan, each checked against a brute-force double-precision
/// cosine over the same floats: same ids, same order, scores within 1e-5.
/// </summary>
public abstract class VectorSearchConformanceTests : IAsyncLifetime
{
    private const int Rows = 300;
    private SqlDatabase? _db;
    private readonly List<VecDoc> _docs = [];

    protected SqlDatabase Db => _db ?? throw new InvalidOperationException("not opened");

    protected abstract Task<SqlDatabase> OpenAsync();

    protected abstract Task CloseAsync();

    protected abstract string ExpectedBackend { get; }

    public async Task InitializeAsync()
    {
        _db = await OpenAsync();
        await IntegrationTests.Db.DbConformanceTests.CreateTableAsync<VecDoc>(Db);
        var random = new Random(7);
        for (var i = 0; i < Rows; i++)
        {
            float[]? embedding = i % 37 == 5 ? null : [.. Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 2 - 1))];
            if (i == 11)
            {
                embedding = new float[16]; // a stored zero vector never ranks
            }

            _docs.Add(new VecDoc { Id = i, Category = "ABC"[i % 3].ToString(), Bucket = i % 10, Embedding = embedding });
        }

        Assert.Equal(Rows, (await Db.From<VecDoc>().InsertAsync(_docs)).EnsureSuccess());
    }

    public Task DisposeAsync() => CloseAsync();

    private static float[] Query(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    private List<(int Id, double Score)> Expected(float[] query, Func<VecDoc, bool> filter, int limit, double? minScore)
    {
        static double Cosine(float[] a, float[] b)
        {
            double dot = 0, na = 0, nb = 0;
            for (var i = 0; i < a.Length; i++)
            {
                dot += (double)a[i] * b[i];
                na += (double)a[i] * a[i];
                nb += (double)b[i] * b[i];
            }

            return dot / (Math.Sqrt(na) * Math.Sqrt(nb));
        }

        return [.. _docs.Where(d => d.Embedding is not null && d.Embedding.Any(x => x != 0) && filter(d))
            .Select(d => (d.Id, Score: Cosine(query, d.Embedding!)))
            .Where(x => minScore is null || x.Score >= minScore)
            .OrderByDescending(x => x.Score)
            .Take(limit)];
    }

    private static void AssertSame(List<(int Id, double Score)> expected, IReadOnlyList<Scored<VecDoc>> actual)
    {
        Assert.Equal(expected.Select(e => e.Id), actual.Select(a => a.Data.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.InRange(actual[i].Score, expected[i].Score - 1e-5, expected[i].Score + 1e-5);
        }
    }

    [SkippableFact]
    public void The_backend_is_the_expected_one() => Assert.Equal(ExpectedBackend, Db.VectorBackend);

    [SkippableFact]
    public async Task Unfiltered_search_returns_the_exact_top_k_best_first()
    {
        var query = Query(1);
        var hits = (await Db.From<VecDoc>().VectorSearchAsync(VecDoc.Columns.Embedding, query, limit: 10)).EnsureSuccess();
        AssertSame(Expected(query, _ => true, 10, null), hits);
        var stored = _docs.Single(d => d.Id == hits[0].Data.Id);
        Assert.Equal((stored.Category, stored.Bucket), (hits[0].Data.Category, hits[0].Data.Bucket));
        Assert.Equal(stored.Embedding, hits[0].Data.Embedding);
    }

    [SkippableFact]
    public async Task Filters_apply_before_ranking()
    {
        var query = Query(2);
        var hits = (await Db.From<VecDoc>()
            .Where(VecDoc.Columns.Category.Eq("B") & VecDoc.Columns.Bucket.Lt(5))
            .VectorSearchAsync(VecDoc.Columns.Embedding, query, limit: 7)).EnsureSuccess();
        AssertSame(Expected(query, d => d.Category == "B" && d.Bucket < 5, 7, null), hits);
        Assert.All(hits, h => Assert.Equal("B", h.Data.Category));
    }

    [SkippableFact]
    public async Task MinScore_keeps_only_rows_at_or_above_it()
    {
        var query = Query(3);
        var threshold = Expected(query, _ => true, 8, null)[^1].Score - 1e-4;
        var hits = (await Db.From<VecDoc>().VectorSearchAsync(VecDoc.Columns.Embedding, query, limit: 50, minScore: threshold)).EnsureSuccess();
        AssertSame(Expected(query, _ => true, 50, threshold), hits);
        Assert.Equal(8, hits.Count);
    }

    [SkippableFact]
    public async Task A_limit_past_the_matching_rows_returns_every_rankable_row()
    {
        var query = Query(4);
        var hits = (await Db.From<VecDoc>().Where(VecDoc.Columns.Bucket.Eq(1)).VectorSearchAsync(VecDoc.Columns.Embedding, query, limit: 500)).EnsureSuccess();
        AssertSame(Expected(query, d => d.Bucket == 1, 500, null), hits);
        Assert.DoesNotContain(hits, h => h.Data.Id == 11 || h.Data.Embedding is null);
    }

    [SkippableFact]
    public async Task Searches_run_inside_a_transaction()
    {
        var query = Query(5);
        var result = await Db.TransactionAsync<IReadOnlyList<Scored<VecDoc>>>(tx =>
            tx.From<VecDoc>().Where(VecDoc.Columns.Category.Eq("A")).VectorSearchAsync(VecDoc.Columns.Embedding, query, limit: 3));
        AssertSame(Expected(query, d => d.Category == "A", 3, null), result.EnsureSuccess());
    }

    [SkippableFact]
    public async Task The_untyped_chain_finds_the_same_rows_with_a_score_column()
    {
        var query = Query(8);
        var threshold = Expected(query, d => d.Category == "C", 6, null)[^1].Score - 1e-4;
        var rows = (await Db.From("vec_docs").Select("id, category").Eq("category", "C")
            .VectorSearch("embedding", query, limit: 20, minScore: threshold).ExecuteAsync()).EnsureSuccess();

        var expected = Expected(query, d => d.Category == "C", 20, threshold);
        Assert.Equal(expected.Select(e => (long)e.Id), rows.Select(r => Convert.ToInt64(r["id"])));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.InRange(Convert.ToDouble(rows[i]["score"]), expected[i].Score - 1e-5, expected[i].Score + 1e-5);
            Assert.Equal("C", rows[i]["category"]);
        }

        var unknown = await Db.From("vec_docs").VectorSearch("embeddingg", query, 5).ExecuteAsync();
        Assert.Equal(DbErrorKind.InvalidQuery, unknown.Error?.Kind);
        var zero = await Db.From("vec_docs").VectorSearch("embedding", new float[16], 5).ExecuteAsync();
        Assert.Contains("zero vector", zero.Error?.Message);
    }

    [SkippableTheory]
    [InlineData("dimensions", "the query has 15 dimensions; the column holds 16")]
    [InlineData("nan", "every component must be a finite number")]
    [InlineData("zero", "zero vector")]
    [InlineData("limit", "limit must be at least 1")]
    [InlineData("minScore", "minScore must be within [-1, 1]")]
    public async Task Invalid_queries_are_error_values_naming_the_column(string problem, string message)
    {
        var query = Query(6);
        var limit = 5;
        double? minScore = null;
        switch (problem)
        {
            case "dimensions": query = query[..15]; break;
            case "nan": query[3] = float.NaN; break;
            case "zero": query = new float[16]; break;
            case "limit": limit = 0; break;
            case "minScore": minScore = 1.5; break;
        }

        var result = await Db.From<VecDoc>().VectorSearchAsync(VecDoc.Columns.Embedding, query, limit, minScore);
        Assert.Equal(DbErrorKind.InvalidQuery, result.Error?.Kind);
        Assert.Contains("vec_docs.embedding", result.Error!.Message);
        Assert.Contains(message, result.Error.Message);
        Assert.Null(result.Data);
    }
}

public sealed class PgvectorSearchTests : VectorSearchConformanceTests
{
    private readonly PostgresSchema _schema = new();

    protected override string ExpectedBackend => "pgvector";

    protected override Task<SqlDatabase> OpenAsync() => _schema.OpenAsync();

    protected override Task CloseAsync() => _schema.DisposeAsync();
}

public sealed class SqliteVecSearchTests : VectorSearchConformanceTests
{
    private readonly SqliteFile _file = new();

    protected override string ExpectedBackend => "sqlite-vec";

    protected override Task<SqlDatabase> OpenAsync() => _file.OpenAsync(TestServices.SqliteVec);

    protected override Task CloseAsync() => _file.DisposeAsync();
}

public sealed class ScanSearchTests : VectorSearchConformanceTests
{
    private readonly SqliteFile _file = new();

    protected override string ExpectedBackend => "scan";

    protected override Task<SqlDatabase> OpenAsync() => _file.OpenAsync(sqliteVec: null);

    protected override Task CloseAsync() => _file.DisposeAsync();
}

/// <summary>A fresh SQLite file per test class.</summary>
internal sealed class SqliteFile
{
    private readonly string _dir = Directory.CreateTempSubdirectory("prxy-vec-").FullName;
    private SqliteDatabase? _db;

    public async Task<SqlDatabase> OpenAsync(string? sqliteVec)
    {
        _db = await SqliteDatabase.OpenAsync(Path.Combine(_dir, "vec.db"), new DatabaseOptions { SqliteVecPath = sqliteVec });
        return _db;
    }

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>A fresh schema in the test Postgres per test class, dropped afterwards.</summary>
internal sealed class PostgresSchema
{
    private readonly string _name = "v_" + Guid.NewGuid().ToString("N");
    private PostgresDatabase? _db;

    public async Task<SqlDatabase> OpenAsync(int? efSearch = null)
    {
        var connection = TestServices.Postgres;
        await using (var admin = await PostgresDatabase.OpenAsync(connection))
        {
            (await admin.RawAsync($"CREATE SCHEMA {_name}")).EnsureSuccess();
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connection) { SearchPath = _name + ",public" };
        _db = await PostgresDatabase.OpenAsync(builder.ConnectionString, new DatabaseOptions { VectorEfSearch = efSearch, CommandTimeout = TimeSpan.FromSeconds(60) });
        return _db;
    }

    public async Task DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.RawAsync($"DROP SCHEMA {_name} CASCADE");
            await _db.DisposeAsync();
        }
    }
}

/// <summary>pgvector's index behaviour: the index serves unfiltered searches, filtered searches still return k rows, recall is high.</summary>
public sealed class PgvectorIndexTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rows = 5_000;
    private const int Dimensions = 128;
    private readonly PostgresSchema _schema = new();
    private readonly List<float[]> _vectors = [];
    private SqlDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await _schema.OpenAsync(efSearch: 200);
        (await _db.RawAsync("CREATE TABLE big_vecs (id integer PRIMARY KEY, tenant text NOT NULL, embedding vector(128))")).EnsureSuccess();
        var random = new Random(128);
        var rows = new List<BigVec>(Rows);
        for (var i = 0; i < Rows; i++)
        {
            float[] v = [.. Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1))];
            _vectors.Add(v);
            rows.Add(new BigVec { Id = i, Tenant = "t" + (i % 100), Embedding = v }); // each tenant is 1% of the rows
        }

        Assert.Equal(Rows, (await _db.From<BigVec>().InsertAsync(rows)).EnsureSuccess());
        (await _db.RawAsync("CREATE INDEX big_vecs_hnsw ON big_vecs USING hnsw (embedding vector_cosine_ops)")).EnsureSuccess();
        (await _db.RawAsync("ANALYZE big_vecs")).EnsureSuccess();
    }

    public Task DisposeAsync() => _schema.DisposeAsync();

    private List<int> Exact(float[] query, Func<int, bool> filter, int k) =>
        [.. Enumerable.Range(0, Rows).Where(filter)
            .OrderByDescending(i => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(query, _vectors[i])).Take(k)];

    [SkippableFact]
    public async Task Unfiltered_search_uses_the_hnsw_index()
    {
        var search = new VectorSearch(
            new QueryState(_db, BigVec.Table, null, [], null, null), BigVec.Table.Columns[2], _vectors[0], 10, null, "BigVec", "table 'big_vecs'");
        var statement = PostgresVectorSearch.Build(search);
        var plan = (await _db.RawAsync("EXPLAIN " + statement.Sql, statement.Args)).EnsureSuccess();
        var text = string.Join("\n", plan.Select(r => r.Values.Single()));
        output.WriteLine(text);
        Assert.Contains("big_vecs_hnsw", text);
    }

    [SkippableFact]
    public async Task Recall_at_10_against_exact_search_is_at_least_0_95()
    {
        var random = new Random(99);
        double found = 0, wanted = 0;
        for (var q = 0; q < 20; q++)
        {
            float[] query = [.. Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1))];
            var hits = (await _db.From<BigVec>().VectorSearchAsync(BigVec.Columns.Embedding, query, 10)).EnsureSuccess();
            var exact = Exact(query, _ => true, 10);
            found += hits.Select(h => h.Data.Id).Intersect(exact).Count();
            wanted += exact.Count;
        }

        var recall = found / wanted;
        output.WriteLine($"recall@10 of HNSW (ef_search 200) against exact search over {Rows}x{Dimensions}: {recall:F3}");
        Console.WriteLine($"pgvector recall@10 = {recall:F3}");
        Assert.True(recall >= 0.95, $"recall@10 was {recall:F3}");
    }

    [SkippableFact]
    public async Task A_filter_matching_1_percent_still_returns_k_rows()
    {
        var query = _vectors[17];
        var hits = (await _db.From<BigVec>().Where(BigVec.Columns.Tenant.Eq("t42")).VectorSearchAsync(BigVec.Columns.Embedding, query, 10)).EnsureSuccess();
        Assert.Equal(10, hits.Count);
        Assert.All(hits, h => Assert.Equal("t42", h.Data.Tenant));
        var exact = Exact(query, i => i % 100 == 42, 10);
        output.WriteLine($"filtered recall@10: {hits.Select(h => h.Data.Id).Intersect(exact).Count()}/10");
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score), "hits are ordered by score");
    }
}

[Table("big_vecs")]
public sealed partial record BigVec
{
    [PrimaryKey] public int Id { get; init; }
    public required string Tenant { get; init; }
    [Vector(128)] public float[]? Embedding { get; init; }
}
