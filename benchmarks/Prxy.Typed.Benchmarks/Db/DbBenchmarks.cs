using System.Data;
using System.Data.Common;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Dapper;
using Microsoft.EntityFrameworkCore;

namespace Prxy.Typed.Benchmarks.Db;

/// <summary>
/// The same reads and writes through hand-written ADO.NET (the baseline of each category: one open connection,
/// prepared commands, GetFieldValue by ordinal), Dapper, EF Core (no tracking) and Prxy.Typed (typed and untyped).
/// Backends: <see cref="SqliteDbBenchmarks"/> and <see cref="PostgresDbBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public abstract class DbBenchmarks
{
    /// <summary>Rows in the read table.</summary>
    protected const int Rows = 10_000;

    private const int Tenants = Rows / 5;
    private const string Columns = "id, tenant, name, score, qty, created";
    private const string InsertSql = "INSERT INTO bench_writes (id, tenant, name, score, qty, created) VALUES (@id, @tenant, @name, @score, @qty, @created)";
    private const string UpsertSql = InsertSql + " ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant, name = excluded.name, score = excluded.score, qty = excluded.qty, created = excluded.created";

    // Dapper names each parameter after the property; Microsoft.Data.Sqlite matches names case-sensitively.
    private const string DapperInsertSql = "INSERT INTO bench_writes (id, tenant, name, score, qty, created) VALUES (@Id, @Tenant, @Name, @Score, @Qty, @Created)";
    private const string DapperUpsertSql = DapperInsertSql + " ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant, name = excluded.name, score = excluded.score, qty = excluded.qty, created = excluded.created";

    private static readonly string[] TenantNames = [.. Enumerable.Range(0, Tenants).Select(i => "t" + i)];

    private SqlDatabase _prxy = null!;
    private DbConnection _ado = null!;
    private DbConnection _dapper = null!;
    private BenchContext _ef = null!;
    private DbCommand _pkCommand = null!;
    private DbCommand _filteredCommand = null!;
    private DbCommand _rangeCommand = null!;
    private DbCommand _insertCommand = null!;
    private DbCommand _upsertCommand = null!;
    private long _nextId = 1_000_000;
    private int _key;
    private BenchWrite[] _batch = [];

    /// <summary>Opens the Prxy database (the schema or file is fresh).</summary>
    protected abstract Task<SqlDatabase> OpenPrxyAsync();

    /// <summary>A new, closed ADO.NET connection to the same database.</summary>
    protected abstract DbConnection NewConnection();

    /// <summary>EF Core options over the same database.</summary>
    protected abstract DbContextOptions<BenchContext> EfOptions();

    /// <summary>Whether the backend is Postgres (the ADO batch insert uses a DbBatch there).</summary>
    protected abstract bool IsPostgres { get; }

    /// <summary>SQL run on each freshly opened baseline connection.</summary>
    protected virtual string? ConnectionSetup => null;

    /// <summary>Creates and seeds the tables, opens every client and prepares the baseline commands.</summary>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _prxy = await OpenPrxyAsync();
        await CreateTableAsync<BenchRow>(_prxy);
        await CreateTableAsync<BenchWrite>(_prxy);
        (await _prxy.RawAsync("CREATE INDEX bench_rows_tenant ON bench_rows (tenant)")).EnsureSuccess();
        var seed = Enumerable.Range(0, Rows).Select(i => new BenchRow
        {
            Id = i,
            Tenant = TenantNames[i % Tenants],
            Name = "name " + i,
            Score = (i * 7919L % 10007) / 10007.0,
            Qty = i % 100,
            Created = 1_700_000_000L + i,
        }).ToList();
        if ((await _prxy.From<BenchRow>().InsertAsync(seed)).EnsureSuccess() != Rows)
        {
            throw new InvalidOperationException("seeding bench_rows failed");
        }

        (await _prxy.From<BenchWrite>().InsertAsync(NewWrite(5))).EnsureSuccess();
        (await _prxy.RawAsync("ANALYZE")).EnsureSuccess();
        _batch = [.. Enumerable.Range(0, 1000).Select(_ => NewWrite(0))];

        _ado = await OpenAsync();
        _dapper = await OpenAsync();
        _ef = new BenchContext(EfOptions());
        _pkCommand = Prepare($"SELECT {Columns} FROM bench_rows WHERE id = @id", ("@id", DbType.Int64));
        _filteredCommand = Prepare($"SELECT {Columns} FROM bench_rows WHERE tenant = @tenant ORDER BY score DESC", ("@tenant", DbType.String));
        _rangeCommand = Prepare($"SELECT {Columns} FROM bench_rows WHERE id >= @lo AND id < @hi ORDER BY id", ("@lo", DbType.Int64), ("@hi", DbType.Int64));
        _insertCommand = Prepare(InsertSql, WriteParameters);
        _upsertCommand = Prepare(UpsertSql, WriteParameters);

        // Each client must see the same data, or the comparison is wrong.
        _key = 0;
        var viaAdo = await Ado_Filtered5();
        _key = 0;
        var viaPrxy = await Prxy_Filtered5();
        _key = 0;
        var viaEf = await Ef_Filtered5();
        if (viaAdo.Count != 5 || !viaAdo.SequenceEqual(viaPrxy) || !viaAdo.Select(r => r.Id).SequenceEqual(viaEf.Select(r => r.Id)))
        {
            throw new InvalidOperationException("the clients disagree on the filtered query");
        }

        if ((await Ado_Read1000()).Count != 1000 || (await Prxy_Read1000()).Count != 1000 || (await Prxy_PkLookup())?.Id is null)
        {
            throw new InvalidOperationException("the clients disagree on the range read");
        }
    }

    /// <summary>Closes every client.</summary>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _ef.DisposeAsync();
        await _ado.DisposeAsync();
        await _dapper.DisposeAsync();
        await CleanupPrxyAsync(_prxy);
    }

    /// <summary>Drops what the setup created and closes the database.</summary>
    protected abstract Task CleanupPrxyAsync(SqlDatabase db);

    private static readonly (string, DbType)[] WriteParameters =
        [("@id", DbType.Int64), ("@tenant", DbType.String), ("@name", DbType.String), ("@score", DbType.Double), ("@qty", DbType.Int32), ("@created", DbType.Int64)];

    private static async Task CreateTableAsync<T>(SqlDatabase db) where T : ITable<T>
    {
        var columns = string.Join(", ", T.Table.Columns.Select(c =>
            $"\"{c.Name}\" {db.Dialect.SqlType(c)}{(c.IsNullable ? "" : " NOT NULL")}{(c.IsPrimaryKey ? " PRIMARY KEY" : "")}"));
        (await db.RawAsync($"CREATE TABLE \"{T.Table.Name}\" ({columns})")).EnsureSuccess();
        db.InvalidateSchema();
    }

    private async Task<DbConnection> OpenAsync()
    {
        var connection = NewConnection();
        await connection.OpenAsync();
        if (ConnectionSetup is { } setup)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = setup;
            await command.ExecuteNonQueryAsync();
        }

        return connection;
    }

    private DbCommand Prepare(string sql, params (string Name, DbType Type)[] parameters) => Prepare(_ado, sql, parameters);

    private static DbCommand Prepare(DbConnection connection, string sql, (string Name, DbType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.DbType = type;
            p.Value = type switch
            {
                DbType.String => "",
                DbType.Int64 => 0L,
                DbType.Double => 0.0,
                _ => (object)0,
            };
            command.Parameters.Add(p);
        }

        command.Prepare();
        return command;
    }

    private long NextKey() => _key = (_key + 7919) % Rows;

    private BenchWrite NewWrite(long id) => new() { Id = id, Tenant = "w", Name = "written", Score = 0.5, Qty = 3, Created = 1_700_000_000L };

    private static BenchRow ReadRow(DbDataReader r) => new()
    {
        Id = r.GetFieldValue<long>(0),
        Tenant = r.GetFieldValue<string>(1),
        Name = r.GetFieldValue<string>(2),
        Score = r.GetFieldValue<double>(3),
        Qty = r.GetFieldValue<int>(4),
        Created = r.GetFieldValue<long>(5),
    };

    private static async Task<List<BenchRow>> ReadAllAsync(DbCommand command, int capacity)
    {
        var list = new List<BenchRow>(capacity);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(ReadRow(reader));
        }

        return list;
    }

    private static void Bind(DbCommand command, BenchWrite row)
    {
        var p = command.Parameters;
        p[0].Value = row.Id;
        p[1].Value = row.Tenant;
        p[2].Value = row.Name;
        p[3].Value = row.Score;
        p[4].Value = row.Qty;
        p[5].Value = row.Created;
    }

    // ---------------------------------------------------------------- primary-key lookup

    /// <summary>Baseline: prepared command on an open connection.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("PkLookup")]
    public async Task<BenchRow?> Ado_PkLookup()
    {
        _pkCommand.Parameters[0].Value = NextKey();
        await using var reader = await _pkCommand.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadRow(reader) : null;
    }

    /// <summary>ADO.NET that opens a pooled connection per call, as Prxy does.</summary>
    [Benchmark, BenchmarkCategory("PkLookup")]
    public async Task<BenchRow?> AdoOpenPerCall_PkLookup()
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM bench_rows WHERE id = @id";
        var p = command.CreateParameter();
        p.ParameterName = "@id";
        p.Value = NextKey();
        command.Parameters.Add(p);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadRow(reader) : null;
    }

    /// <summary>Dapper.</summary>
    [Benchmark, BenchmarkCategory("PkLookup")]
    public Task<PlainRow?> Dapper_PkLookup() =>
        _dapper.QueryFirstOrDefaultAsync<PlainRow>($"SELECT {Columns} FROM bench_rows WHERE id = @id", new { id = NextKey() });

    /// <summary>EF Core, no tracking.</summary>
    [Benchmark, BenchmarkCategory("PkLookup")]
    public Task<PlainRow?> Ef_PkLookup()
    {
        var id = NextKey();
        return _ef.Rows.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id);
    }

    /// <summary>Prxy typed chain.</summary>
    [Benchmark, BenchmarkCategory("PkLookup")]
    public async Task<BenchRow?> Prxy_PkLookup() =>
        (await _prxy.From<BenchRow>().Where(BenchRow.Columns.Id.Eq(NextKey())).MaybeSingleAsync()).EnsureSuccess();

    /// <summary>Prxy untyped chain.</summary>
    [Benchmark, BenchmarkCategory("PkLookup")]
    public async Task<DbRow?> PrxyUntyped_PkLookup()
    {
        var rows = (await _prxy.From("bench_rows").Select(Columns).Eq("id", NextKey()).ExecuteAsync()).EnsureSuccess();
        return rows.Count > 0 ? rows[0] : null;
    }

    // ---------------------------------------------------------------- 5 rows, filtered and ordered

    /// <summary>Baseline.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Filtered5")]
    public Task<List<BenchRow>> Ado_Filtered5()
    {
        _filteredCommand.Parameters[0].Value = TenantNames[NextKey() % Tenants];
        return ReadAllAsync(_filteredCommand, 5);
    }

    /// <summary>Dapper.</summary>
    [Benchmark, BenchmarkCategory("Filtered5")]
    public async Task<List<PlainRow>> Dapper_Filtered5() =>
        (await _dapper.QueryAsync<PlainRow>($"SELECT {Columns} FROM bench_rows WHERE tenant = @tenant ORDER BY score DESC", new { tenant = TenantNames[NextKey() % Tenants] })).AsList();

    /// <summary>EF Core, no tracking.</summary>
    [Benchmark, BenchmarkCategory("Filtered5")]
    public Task<List<PlainRow>> Ef_Filtered5()
    {
        var tenant = TenantNames[NextKey() % Tenants];
        return _ef.Rows.AsNoTracking().Where(r => r.Tenant == tenant).OrderByDescending(r => r.Score).ToListAsync();
    }

    /// <summary>Prxy typed chain.</summary>
    [Benchmark, BenchmarkCategory("Filtered5")]
    public async Task<IReadOnlyList<BenchRow>> Prxy_Filtered5() =>
        (await _prxy.From<BenchRow>().Where(BenchRow.Columns.Tenant.Eq(TenantNames[NextKey() % Tenants])).OrderByDescending(BenchRow.Columns.Score).ToListAsync()).EnsureSuccess();

    /// <summary>Prxy untyped chain.</summary>
    [Benchmark, BenchmarkCategory("Filtered5")]
    public async Task<IReadOnlyList<DbRow>> PrxyUntyped_Filtered5() =>
        (await _prxy.From("bench_rows").Select(Columns).Eq("tenant", TenantNames[NextKey() % Tenants]).Order("score", ascending: false).ExecuteAsync()).EnsureSuccess();

    // ---------------------------------------------------------------- 1,000 rows

    /// <summary>Baseline.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Read1000")]
    public Task<List<BenchRow>> Ado_Read1000()
    {
        _rangeCommand.Parameters[0].Value = 2000L;
        _rangeCommand.Parameters[1].Value = 3000L;
        return ReadAllAsync(_rangeCommand, 1000);
    }

    /// <summary>Dapper.</summary>
    [Benchmark, BenchmarkCategory("Read1000")]
    public async Task<List<PlainRow>> Dapper_Read1000() =>
        (await _dapper.QueryAsync<PlainRow>($"SELECT {Columns} FROM bench_rows WHERE id >= @lo AND id < @hi ORDER BY id", new { lo = 2000L, hi = 3000L })).AsList();

    /// <summary>EF Core, no tracking.</summary>
    [Benchmark, BenchmarkCategory("Read1000")]
    public Task<List<PlainRow>> Ef_Read1000() =>
        _ef.Rows.AsNoTracking().Where(r => r.Id >= 2000L && r.Id < 3000L).OrderBy(r => r.Id).ToListAsync();

    /// <summary>Prxy typed chain.</summary>
    [Benchmark, BenchmarkCategory("Read1000")]
    public async Task<IReadOnlyList<BenchRow>> Prxy_Read1000() =>
        (await _prxy.From<BenchRow>().Where(BenchRow.Columns.Id.Gte(2000L) & BenchRow.Columns.Id.Lt(3000L)).OrderBy(BenchRow.Columns.Id).ToListAsync()).EnsureSuccess();

    /// <summary>Prxy untyped chain.</summary>
    [Benchmark, BenchmarkCategory("Read1000")]
    public async Task<IReadOnlyList<DbRow>> PrxyUntyped_Read1000() =>
        (await _prxy.From("bench_rows").Select(Columns).Gte("id", 2000L).Lt("id", 3000L).Order("id").ExecuteAsync()).EnsureSuccess();

    // ---------------------------------------------------------------- single insert

    /// <summary>Baseline: prepared INSERT, no RETURNING.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("InsertOne")]
    public Task<int> Ado_InsertOne()
    {
        Bind(_insertCommand, NewWrite(++_nextId));
        return _insertCommand.ExecuteNonQueryAsync();
    }

    /// <summary>Dapper.</summary>
    [Benchmark, BenchmarkCategory("InsertOne")]
    public Task<int> Dapper_InsertOne() => _dapper.ExecuteAsync(DapperInsertSql, NewPlain(++_nextId));

    /// <summary>EF Core: Add + SaveChanges, tracker cleared.</summary>
    [Benchmark, BenchmarkCategory("InsertOne")]
    public async Task<int> Ef_InsertOne()
    {
        _ef.Writes.Add(NewPlain(++_nextId));
        var n = await _ef.SaveChangesAsync();
        _ef.ChangeTracker.Clear();
        return n;
    }

    /// <summary>Prxy typed insert (returns the stored row).</summary>
    [Benchmark, BenchmarkCategory("InsertOne")]
    public async Task<BenchWrite> Prxy_InsertOne() => (await _prxy.From<BenchWrite>().InsertAsync(NewWrite(++_nextId))).EnsureSuccess();

    // ---------------------------------------------------------------- 1,000 rows: batch vs singles

    /// <summary>Baseline: one transaction; SQLite reuses one prepared command, Postgres sends one DbBatch.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Insert1000")]
    public async Task<int> Ado_Insert1000()
    {
        var rows = NextBatch();
        await using var tx = await _ado.BeginTransactionAsync();
        var n = 0;
        if (IsPostgres)
        {
            await using var batch = _ado.CreateBatch();
            batch.Transaction = tx;
            foreach (var row in rows)
            {
                var c = batch.CreateBatchCommand();
                c.CommandText = InsertSql.Replace("@id", "$1").Replace("@tenant", "$2").Replace("@name", "$3").Replace("@score", "$4").Replace("@qty", "$5").Replace("@created", "$6");
                AddValue(c, row.Id);
                AddValue(c, row.Tenant);
                AddValue(c, row.Name);
                AddValue(c, row.Score);
                AddValue(c, row.Qty);
                AddValue(c, row.Created);
                batch.BatchCommands.Add(c);
            }

            n = await batch.ExecuteNonQueryAsync();
        }
        else
        {
            _insertCommand.Transaction = tx;
            foreach (var row in rows)
            {
                Bind(_insertCommand, row);
                n += await _insertCommand.ExecuteNonQueryAsync();
            }

            _insertCommand.Transaction = null;
        }

        await tx.CommitAsync();
        return n;
    }

    private static void AddValue<TValue>(DbBatchCommand command, TValue value)
    {
        var p = command.CreateParameter();
        p.Value = value;
        command.Parameters.Add(p);
    }

    /// <summary>Dapper: Execute over the list in one transaction.</summary>
    [Benchmark, BenchmarkCategory("Insert1000")]
    public async Task<int> Dapper_Insert1000()
    {
        var rows = NextBatch().Select(r => NewPlain(r.Id)).ToList();
        await using var tx = await _dapper.BeginTransactionAsync();
        var n = await _dapper.ExecuteAsync(DapperInsertSql, rows, tx);
        await tx.CommitAsync();
        return n;
    }

    /// <summary>EF Core: AddRange + SaveChanges (EF batches the statements).</summary>
    [Benchmark, BenchmarkCategory("Insert1000")]
    public async Task<int> Ef_Insert1000()
    {
        _ef.Writes.AddRange(NextBatch().Select(r => NewPlain(r.Id)));
        var n = await _ef.SaveChangesAsync();
        _ef.ChangeTracker.Clear();
        return n;
    }

    /// <summary>Prxy batch insert.</summary>
    [Benchmark, BenchmarkCategory("Insert1000")]
    public async Task<int> Prxy_Insert1000() => (await _prxy.From<BenchWrite>().InsertAsync(NextBatch())).EnsureSuccess();

    /// <summary>Prxy: 1,000 single inserts (the ≥ 5× batch target compares against this).</summary>
    [Benchmark, BenchmarkCategory("Insert1000")]
    public async Task<int> Prxy_Insert1000Singles()
    {
        var n = 0;
        foreach (var row in NextBatch())
        {
            (await _prxy.From<BenchWrite>().InsertAsync(row)).EnsureSuccess();
            n++;
        }

        return n;
    }

    private BenchWrite[] NextBatch()
    {
        for (var i = 0; i < _batch.Length; i++)
        {
            _batch[i] = _batch[i] with { Id = ++_nextId };
        }

        return _batch;
    }

    private static PlainWrite NewPlain(long id) => new() { Id = id, Tenant = "w", Name = "written", Score = 0.5, Qty = 3, Created = 1_700_000_000L };

    // ---------------------------------------------------------------- upsert (always the update path: id 5 exists)

    /// <summary>Baseline: prepared INSERT ... ON CONFLICT DO UPDATE, no RETURNING.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("Upsert")]
    public Task<int> Ado_Upsert()
    {
        Bind(_upsertCommand, NewWrite(5) with { Qty = (int)NextKey() });
        return _upsertCommand.ExecuteNonQueryAsync();
    }

    /// <summary>Dapper.</summary>
    [Benchmark, BenchmarkCategory("Upsert")]
    public Task<int> Dapper_Upsert()
    {
        var row = NewPlain(5);
        row.Qty = (int)NextKey();
        return _dapper.ExecuteAsync(DapperUpsertSql, row);
    }

    /// <summary>Prxy typed upsert (returns the stored row).</summary>
    [Benchmark, BenchmarkCategory("Upsert")]
    public async Task<BenchWrite> Prxy_Upsert() =>
        (await _prxy.From<BenchWrite>().UpsertAsync(NewWrite(5) with { Qty = (int)NextKey() }, BenchWrite.Columns.Id)).EnsureSuccess();

    // ---------------------------------------------------------------- building a cached shape (no I/O)

    /// <summary>The typed chain plus the SQL and parameter build of a cached shape (what every PK lookup pays before I/O).</summary>
    [Benchmark, BenchmarkCategory("BuildCachedShape")]
    public string Prxy_ChainAndBuild()
    {
        var query = _prxy.From<BenchRow>().Where(BenchRow.Columns.Id.Eq(NextKey()));
        return QuerySql.Select(query.State, BenchRow.ReadColumns, ShapeKey, QuerySql.SelectKind.Rows, limitOverride: 2).Sql;
    }

    /// <summary>The SQL and parameter build alone, over a prebuilt chain.</summary>
    [Benchmark, BenchmarkCategory("BuildCachedShape")]
    public string Prxy_BuildOnly() => QuerySql.Select(BuiltQuery.State, BenchRow.ReadColumns, ShapeKey, QuerySql.SelectKind.Rows, limitOverride: 2).Sql;

    private static readonly string ShapeKey = typeof(BenchRow).FullName!;

    private TableQuery<BenchRow> BuiltQuery => _built ??= _prxy.From<BenchRow>().Where(BenchRow.Columns.Id.Eq(42L));

    private TableQuery<BenchRow>? _built;
}
