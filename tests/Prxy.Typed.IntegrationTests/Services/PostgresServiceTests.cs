using Npgsql;
using Pgvector;
using Pgvector.Npgsql;
using Prxy.Typed.Testing;

namespace Prxy.Typed.IntegrationTests.Services;

/// <summary>The test PostgreSQL that eng/services.sh starts answers, with pgvector 0.8 or newer.</summary>
public sealed class PostgresServiceTests
{
    [SkippableFact]
    public async Task Vector_round_trips_and_cosine_distance_is_computed_by_pgvector()
    {
        var builder = new NpgsqlDataSourceBuilder(TestServices.Postgres);
        builder.UseVector();
        await using var dataSource = builder.Build();
        await using var connection = await dataSource.OpenConnectionAsync();

        await using (var version = new NpgsqlCommand("SELECT extversion FROM pg_extension WHERE extname = 'vector'", connection))
        {
            var extversion = (string?)await version.ExecuteScalarAsync();
            Assert.NotNull(extversion);
            Assert.True(System.Version.Parse(extversion) >= new System.Version(0, 8), $"pgvector {extversion} is older than 0.8 (iterative scans are needed)");
        }

        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE smoke_vectors (id int PRIMARY KEY, embedding vector(3) NOT NULL)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        float[] stored = [1f, 2f, 3f];
        await using (var insert = new NpgsqlCommand("INSERT INTO smoke_vectors (id, embedding) VALUES (1, $1)", connection))
        {
            insert.Parameters.AddWithValue(new Vector(stored));
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        await using var query = new NpgsqlCommand("SELECT embedding, embedding <=> $1 FROM smoke_vectors WHERE id = 1", connection);
        query.Parameters.AddWithValue(new Vector(new float[] { 1f, 2f, 4f }));
        await using var reader = await query.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());

        Assert.Equal(stored, reader.GetFieldValue<Vector>(0).ToArray());
        // cosine distance of (1,2,3) and (1,2,4) = 1 - 17 / (sqrt(14) * sqrt(21))
        var expected = 1 - 17 / (Math.Sqrt(14) * Math.Sqrt(21));
        Assert.Equal(expected, reader.GetDouble(1), precision: 6);
    }
}
