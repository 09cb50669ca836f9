using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Npgsql;

namespace Prxy.Typed.Benchmarks.Vectors;

/// <summary>Rows of the vector benchmarks: an id and a 384-dimension embedding.</summary>
[Table("vec_items")]
public sealed partial record VecItem
{
    /// <summary>Primary key.</summary>
    [PrimaryKey] public int Id { get; init; }

    /// <summary>The embedding.</summary>
    [Vector(VectorData.Dimensions)] public float[]? Embedding { get; init; }
}

/// <summary>Seeded vectors and queries shared by the vector suites, plus the in-memory top-k floor.</summary>
public static class VectorData
{
    /// <summary>Embedding width.</summary>
    public const int Dimensions = 384;

    /// <summary>Results per query.</summary>
    public const int K = 10;

    /// <summary>Uniform [-1, 1) vectors from a fixed seed.</summary>
    public static float[][] Vectors(int count, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var v = new float[Dimensions];
            for (var d = 0; d < Dimensions; d++)
            {
                v[d] = (float)(random.NextDouble() * 2 - 1);
            }

            vectors[i] = v;
        }

        return vectors;
    }

    /// <summary>Inserts the vectors in batches through Prxy.</summary>
    public static async Task InsertAsync(SqlDatabase db, float[][] vectors)
    {
        var columns = string.Join(", ", VecItem.Table.Columns.Select(c =>
            $"\"{c.Name}\" {db.Dialect.SqlType(c)}{(c.IsNullable ? "" : " NOT NULL")}{(c.IsPrimaryKey ? " PRIMARY KEY" : "")}"));
        (await db.RawAsync($"CREATE TABLE \"{VecItem.Table.Name}\" ({columns})")).EnsureSuccess();
        db.InvalidateSchema();
        for (var start = 0; start < vectors.Length; start += 2000)
        {
            var rows = Enumerable.Range(start, Math.Min(2000, vectors.Length - start)).Select(i => new VecItem { Id = i, Embedding = vectors[i] }).ToList();
            (await db.From<VecItem>().InsertAsync(rows)).EnsureSuccess();
        }
    }

    /// <summary>
    /// The floor: cosine similarity of every row with <see cref="TensorPrimitives.CosineSimilarity(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    /// and a bounded top-k, over floats already in memory (no I/O, no decoding).
    /// </summary>
    public static int[] TopK(float[][] vectors, float[] query, int k)
    {
        Span<float> scores = stackalloc float[k];
        Span<int> ids = stackalloc int[k];
        var count = 0;
        for (var i = 0; i < vectors.Length; i++)
        {
            var score = TensorPrimitives.CosineSimilarity(query, vectors[i]);
            if (count == k && score <= scores[k - 1])
            {
                continue;
            }

            var at = count < k ? count++ : k - 1;
            while (at > 0 && scores[at - 1] < score)
            {
                scores[at] = scores[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }

            scores[at] = score;
            ids[at] = i;
        }

        return ids[..count].ToArray();
    }
}

/// <summary>SQLite: sqlite-vec against the in-process scan against the in-memory floor (baseline), same floats.</summary>
[MemoryDiagnoser]
public class SqliteVectorBenchmarks
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "prxy-bench-vec-" + Guid.NewGuid().ToString("N"));
    private float[][] _vectors = [];
    private float[][] _queries = [];
    private SqliteDatabase _vec = null!;
    private SqliteDatabase _scan = null!;
    private int _next;

    /// <summary>Rows in the table.</summary>
    [Params(10_000)]
    public int N { get; set; }

    /// <summary>Writes the file once and opens it twice: with sqlite-vec and without.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var extension = Environment.GetEnvironmentVariable("PRXY_SQLITE_VEC")
            ?? throw new InvalidOperationException("Set PRXY_SQLITE_VEC to the sqlite-vec library (vec0.so).");
        _vectors = VectorData.Vectors(N, 384);
        _queries = VectorData.Vectors(16, 7);
        var file = Path.Combine(_dir, "vec.db");
        _vec = await SqliteDatabase.OpenAsync(file, new DatabaseOptions { SqliteVecPath = extension });
        await VectorData.InsertAsync(_vec, _vectors);
        _scan = await SqliteDatabase.OpenAsync(file);
        if (_vec.VectorBackend != "sqlite-vec" || _scan.VectorBackend != "scan")
        {
            throw new InvalidOperationException($"backends are {_vec.VectorBackend} and {_scan.VectorBackend}");
        }

        // Both must return the floor's ids, or the comparison is wrong.
        foreach (var q in _queries[..4])
        {
            var floor = VectorData.TopK(_vectors, q, VectorData.K);
            var viaVec = (await _vec.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, q, VectorData.K)).EnsureSuccess().Select(h => h.Data.Id);
            var viaScan = (await _scan.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, q, VectorData.K)).EnsureSuccess().Select(h => h.Data.Id);
            if (!floor.SequenceEqual(viaVec) || !floor.SequenceEqual(viaScan))
            {
                throw new InvalidOperationException("sqlite-vec, the scan and the floor disagree");
            }
        }
    }

    /// <summary>Closes both handles and deletes the file.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _adoCommand?.Connection?.Dispose();
        await _vec.DisposeAsync();
        await _scan.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private float[] NextQuery() => _queries[_next++ & 15];

    /// <summary>Baseline: TensorPrimitives over the floats in memory.</summary>
    [Benchmark(Baseline = true)]
    public int[] InMemoryFloor() => VectorData.TopK(_vectors, NextQuery(), VectorData.K);

    /// <summary>
    /// Diagnostic: hand-written ADO.NET over the same file, reading only the BLOB column into one buffer and scoring it
    /// with TensorPrimitives (the cost of getting the bytes out of SQLite, without anything Prxy adds).
    /// </summary>
    [Benchmark]
    public int[] AdoBlobScan() => AdoScan("SELECT id, embedding FROM vec_items WHERE embedding IS NOT NULL", blobOrdinal: 1);

    /// <summary>Diagnostic: as <see cref="AdoBlobScan"/> but with the scan's SQL shape (every column, then the vector again).</summary>
    [Benchmark]
    public int[] AdoScanSqlShape() => AdoScan("SELECT id, embedding, embedding FROM vec_items WHERE embedding IS NOT NULL", blobOrdinal: 2);

    /// <summary>
    /// Diagnostic: as <see cref="AdoScanSqlShape"/> but the vector is selected as an expression (<c>+embedding</c>), so the
    /// provider reads the BLOB from the row instead of opening incremental BLOB I/O on the table for every row.
    /// </summary>
    [Benchmark]
    public int[] AdoScanExpression() => AdoScan("SELECT id, embedding, +embedding FROM vec_items WHERE embedding IS NOT NULL", blobOrdinal: 2);

    private int[] AdoScan(string sql, int blobOrdinal)
    {
        var query = NextQuery();
        _adoCommand ??= OpenAdo();
        _adoCommand.CommandText = sql;
        var buffer = new byte[VectorData.Dimensions * sizeof(float)];
        Span<float> scores = stackalloc float[VectorData.K];
        Span<int> ids = stackalloc int[VectorData.K];
        var count = 0;
        using var reader = _adoCommand.ExecuteReader();
        while (reader.Read())
        {
            reader.GetBytes(blobOrdinal, 0, buffer, 0, buffer.Length);
            var score = TensorPrimitives.CosineSimilarity(query, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(buffer));
            if (count == VectorData.K && score <= scores[VectorData.K - 1])
            {
                continue;
            }

            var at = count < VectorData.K ? count++ : VectorData.K - 1;
            while (at > 0 && scores[at - 1] < score)
            {
                scores[at] = scores[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }

            scores[at] = score;
            ids[at] = reader.GetInt32(0);
        }

        return ids[..count].ToArray();
    }

    private Microsoft.Data.Sqlite.SqliteCommand OpenAdo()
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = _scan.Path, Pooling = false }.ToString());
        connection.Open();
        return connection.CreateCommand();
    }

    private Microsoft.Data.Sqlite.SqliteCommand? _adoCommand;

    /// <summary>SQLite with sqlite-vec (vec_distance_cosine in SQL).</summary>
    [Benchmark]
    public async Task<int> SqliteVec() => (await _vec.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, NextQuery(), VectorData.K)).EnsureSuccess().Count;

    /// <summary>SQLite without the extension: the streaming in-process scan.</summary>
    [Benchmark]
    public async Task<int> Scan() => (await _scan.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, NextQuery(), VectorData.K)).EnsureSuccess().Count;
}

/// <summary>Postgres + pgvector: exact (no index, baseline) against HNSW; recall@10 of HNSW is printed by the setup.</summary>
[MemoryDiagnoser]
public class PostgresVectorBenchmarks
{
    private readonly string _exactSchema = "vbench_exact_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _hnswSchema = "vbench_hnsw_" + Guid.NewGuid().ToString("N")[..8];
    private float[][] _queries = [];
    private PostgresDatabase _exact = null!;
    private PostgresDatabase _hnsw = null!;
    private PostgresDatabase _hnswEf200 = null!;
    private int _next;

    /// <summary>Rows in the table.</summary>
    [Params(10_000)]
    public int N { get; set; }

    /// <summary>Loads the same vectors into two schemas, indexes one with HNSW, measures recall.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var raw = Environment.GetEnvironmentVariable("PRXY_TEST_POSTGRES")
            ?? throw new InvalidOperationException("Set PRXY_TEST_POSTGRES to an Npgsql connection string (eng/services.sh start prints it).");
        var vectors = VectorData.Vectors(N, 384);
        _queries = VectorData.Vectors(16, 7);
        _exact = await OpenSchemaAsync(raw, _exactSchema);
        _hnsw = await OpenSchemaAsync(raw, _hnswSchema);
        await VectorData.InsertAsync(_exact, vectors);
        await VectorData.InsertAsync(_hnsw, vectors);
        (await _hnsw.RawAsync("CREATE INDEX vec_items_hnsw ON vec_items USING hnsw (embedding vector_cosine_ops)")).EnsureSuccess();
        (await _exact.RawAsync("ANALYZE vec_items")).EnsureSuccess();
        (await _hnsw.RawAsync("ANALYZE vec_items")).EnsureSuccess();

        _hnswEf200 = await PostgresDatabase.OpenAsync(
            new NpgsqlConnectionStringBuilder(raw) { SearchPath = _hnswSchema + ",public" }.ConnectionString,
            new DatabaseOptions { VectorEfSearch = 200, CommandTimeout = TimeSpan.FromMinutes(5) });
        int exactHits = 0, hnswHits = 0, ef200Hits = 0;
        var recallQueries = VectorData.Vectors(50, 11);
        foreach (var q in recallQueries)
        {
            var floor = VectorData.TopK(vectors, q, VectorData.K);
            var viaExact = (await _exact.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, q, VectorData.K)).EnsureSuccess().Select(h => h.Data.Id);
            var viaHnsw = (await _hnsw.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, q, VectorData.K)).EnsureSuccess().Select(h => h.Data.Id);
            var viaEf200 = (await _hnswEf200.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, q, VectorData.K)).EnsureSuccess().Select(h => h.Data.Id);
            ef200Hits += floor.Intersect(viaEf200).Count();
            exactHits += floor.Intersect(viaExact).Count();
            hnswHits += floor.Intersect(viaHnsw).Count();
        }

        var total = recallQueries.Length * VectorData.K;
        Console.WriteLine($"// recall@{VectorData.K} over {recallQueries.Length} queries, N={N}: exact {exactHits / (double)total:F3}, hnsw {hnswHits / (double)total:F3}, hnsw ef_search=200 {ef200Hits / (double)total:F3}");
    }

    private static async Task<PostgresDatabase> OpenSchemaAsync(string raw, string schema)
    {
        await using (var admin = new NpgsqlConnection(raw))
        {
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE EXTENSION IF NOT EXISTS vector; CREATE SCHEMA {schema}", admin);
            await command.ExecuteNonQueryAsync();
        }

        var connection = new NpgsqlConnectionStringBuilder(raw) { SearchPath = schema + ",public" }.ConnectionString;
        return await PostgresDatabase.OpenAsync(connection, new DatabaseOptions { CommandTimeout = TimeSpan.FromMinutes(5) });
    }

    /// <summary>Drops both schemas.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        (await _exact.RawAsync($"DROP SCHEMA {_exactSchema} CASCADE")).EnsureSuccess();
        (await _hnsw.RawAsync($"DROP SCHEMA {_hnswSchema} CASCADE")).EnsureSuccess();
        await _exact.DisposeAsync();
        await _hnsw.DisposeAsync();
        await _hnswEf200.DisposeAsync();
    }

    private float[] NextQuery() => _queries[_next++ & 15];

    /// <summary>Baseline: exact search, no index (sequential scan + sort in Postgres).</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> Exact() => (await _exact.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, NextQuery(), VectorData.K)).EnsureSuccess().Count;

    /// <summary>HNSW index (default ef_search).</summary>
    [Benchmark]
    public async Task<int> Hnsw() => (await _hnsw.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, NextQuery(), VectorData.K)).EnsureSuccess().Count;

    /// <summary>HNSW index with ef_search = 200 (DatabaseOptions.VectorEfSearch).</summary>
    [Benchmark]
    public async Task<int> HnswEfSearch200() => (await _hnswEf200.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, NextQuery(), VectorData.K)).EnsureSuccess().Count;
}
