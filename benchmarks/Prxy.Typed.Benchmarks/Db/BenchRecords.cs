using Microsoft.EntityFrameworkCore;

namespace Prxy.Typed.Benchmarks.Db;

/// <summary>The read table: 10,000 rows, five per tenant, an index on tenant.</summary>
[Table("bench_rows")]
public sealed partial record BenchRow
{
    /// <summary>Primary key.</summary>
    [PrimaryKey] public long Id { get; init; }

    /// <summary>Tenant; each has exactly five rows.</summary>
    public string Tenant { get; init; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Sort key of the filtered query.</summary>
    public double Score { get; init; }

    /// <summary>A small number.</summary>
    public int Qty { get; init; }

    /// <summary>Unix seconds.</summary>
    public long Created { get; init; }
}

/// <summary>The write table: same shape as <see cref="BenchRow"/>, grows during the write benchmarks.</summary>
[Table("bench_writes")]
public sealed partial record BenchWrite
{
    /// <summary>Primary key.</summary>
    [PrimaryKey] public long Id { get; init; }

    /// <summary>Tenant.</summary>
    public string Tenant { get; init; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; init; } = "";

    /// <summary>A number.</summary>
    public double Score { get; init; }

    /// <summary>A small number.</summary>
    public int Qty { get; init; }

    /// <summary>Unix seconds.</summary>
    public long Created { get; init; }
}

/// <summary>The plain class Dapper and EF Core materialise (same columns).</summary>
public sealed class PlainRow
{
    /// <summary>Primary key.</summary>
    public long Id { get; set; }

    /// <summary>Tenant.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>A number.</summary>
    public double Score { get; set; }

    /// <summary>A small number.</summary>
    public int Qty { get; set; }

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }
}

/// <summary>The EF Core entity of the write table.</summary>
public sealed class PlainWrite
{
    /// <summary>Primary key.</summary>
    public long Id { get; set; }

    /// <summary>Tenant.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Display name.</summary>
    public string Name { get; set; } = "";

    /// <summary>A number.</summary>
    public double Score { get; set; }

    /// <summary>A small number.</summary>
    public int Qty { get; set; }

    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }
}

/// <summary>EF Core context over the two benchmark tables, no tracking by default.</summary>
public sealed class BenchContext(DbContextOptions<BenchContext> options) : DbContext(options)
{
    /// <summary>The read table.</summary>
    public DbSet<PlainRow> Rows => Set<PlainRow>();

    /// <summary>The write table.</summary>
    public DbSet<PlainWrite> Writes => Set<PlainWrite>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PlainRow>(e =>
        {
            e.ToTable("bench_rows");
            Map(e);
        });
        modelBuilder.Entity<PlainWrite>(e =>
        {
            e.ToTable("bench_writes");
            e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
            e.Property(x => x.Tenant).HasColumnName("tenant");
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.Score).HasColumnName("score");
            e.Property(x => x.Qty).HasColumnName("qty");
            e.Property(x => x.Created).HasColumnName("created");
        });
    }

    private static void Map(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<PlainRow> e)
    {
        e.Property(x => x.Id).HasColumnName("id").ValueGeneratedNever();
        e.Property(x => x.Tenant).HasColumnName("tenant");
        e.Property(x => x.Name).HasColumnName("name");
        e.Property(x => x.Score).HasColumnName("score");
        e.Property(x => x.Qty).HasColumnName("qty");
        e.Property(x => x.Created).HasColumnName("created");
    }
}
