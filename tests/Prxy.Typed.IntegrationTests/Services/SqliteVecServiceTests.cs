using Microsoft.Data.Sqlite;
using Prxy.Typed.Testing;

namespace Prxy.Typed.IntegrationTests.Services;

/// <summary>The sqlite-vec extension that eng/install.sh installs loads into Microsoft.Data.Sqlite.</summary>
public sealed class SqliteVecServiceTests
{
    [SkippableFact]
    public void Extension_loads_and_computes_cosine_distance()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        connection.EnableExtensions(true);
        connection.LoadExtension(TestServices.SqliteVec);

        using var version = connection.CreateCommand();
        version.CommandText = "SELECT vec_version()";
        Assert.Equal("v0.1.9", (string?)version.ExecuteScalar());

        using var distance = connection.CreateCommand();
        distance.CommandText = "SELECT vec_distance_cosine(vec_f32('[1, 2, 3]'), vec_f32('[1, 2, 4]'))";
        var expected = 1 - 17 / (Math.Sqrt(14) * Math.Sqrt(21));
        Assert.Equal(expected, Convert.ToDouble(distance.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture), precision: 5);
    }
}
