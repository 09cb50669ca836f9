using System.Diagnostics;
using System.Text.Json;
using Prxy.Typed.Testing;
using Xunit.Abstractions;

namespace Prxy.Typed.IntegrationTests.Sample;

/// <summary>
/// Runs the sample gateway as users do (its built program, in its own process) on the embedded default and on the real
/// Postgres, Redis and S3 server, and checks the decisions it reports: the same on both, and persisted across runs.
/// </summary>
public sealed class GatewaySampleTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("prxy-gateway-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Decision(int Index, string ApiKey, string RateLimit, long Count, int Limit, string Cache, double? CacheScore, string Patterns);

    private static string GatewayDll()
    {
        var testDir = AppContext.BaseDirectory; // …/tests/Prxy.Typed.IntegrationTests/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(testDir).Parent!.Name;
        var repo = new DirectoryInfo(testDir);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "Prxy.Typed.sln")))
        {
            repo = repo.Parent;
        }

        var dll = Path.Combine(repo!.FullName, "samples", "Prxy.Gateway", "bin", configuration, "net10.0", "Prxy.Gateway.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build Prxy.Typed.sln ({configuration}) first.");
        return dll;
    }

    private async Task<Decision[]> RunAsync(string name, Dictionary<string, string?> environment)
    {
        var report = Path.Combine(_dir, name + ".json");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(GatewayDll());
        start.ArgumentList.Add("--report");
        start.ArgumentList.Add(report);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PRXY_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key); // only what this run sets
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine($"--- {name}: exit {process.ExitCode}\n{await stdout}\n{await stderr}");
        Assert.True(process.ExitCode == 0, $"the gateway ({name}) exited with {process.ExitCode}: {await stderr}");
        return JsonSerializer.Deserialize<Decision[]>(await File.ReadAllTextAsync(report), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private static void AssertSameDecisions(Decision[] expected, Decision[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i] with { CacheScore = null }, actual[i] with { CacheScore = null });
            Assert.Equal(expected[i].CacheScore ?? double.NaN, actual[i].CacheScore ?? double.NaN, 4);
        }
    }

    [SkippableFact]
    public async Task The_gateway_decides_the_same_on_the_embedded_default_and_on_the_cloud_backends()
    {
        var local = await RunAsync("local", new() { ["PRXY_DATA_DIR"] = Path.Combine(_dir, "local") });

        // The bundled script: a paraphrase hits the cache, the free key is limited at its third request, patterns are
        // recalled for a user who saw the problem before and forged for a new one.
        Assert.Equal(12, local.Length);
        Assert.Equal("stored", local[0].Cache);
        Assert.Equal("hit", local[1].Cache);
        Assert.True(local[1].CacheScore >= 0.9);
        Assert.Equal(["allowed", "allowed", "limited"], local.Where(d => d.ApiKey == "free-1").Select(d => d.RateLimit));
        Assert.Equal("-", local[8].Cache);
        Assert.Equal("forged", local[0].Patterns);
        Assert.Equal("recalled", local[1].Patterns);
        Assert.Equal("forged", local[11].Patterns);

        var schema = "gw_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = await PostgresDatabase.OpenAsync(TestServices.Postgres))
        {
            (await admin.RawAsync($"CREATE SCHEMA {schema}")).EnsureSuccess();
        }

        var cloud = await RunAsync("cloud", new()
        {
            ["PRXY_DATA_DIR"] = Path.Combine(_dir, "cloud"),
            ["PRXY_DATABASE_URL"] = new Npgsql.NpgsqlConnectionStringBuilder(TestServices.Postgres) { SearchPath = schema + ",public" }.ConnectionString,
            ["PRXY_REDIS_URL"] = TestServices.Redis,
            ["PRXY_KV_PREFIX"] = schema + ":",
            ["PRXY_BLOB_URL"] = $"s3://{TestServices.S3Bucket}?endpoint={TestServices.S3Endpoint}&region=us-east-1&pathStyle=true",
            ["PRXY_S3_ACCESS_KEY"] = "S3RVER",
            ["PRXY_S3_SECRET_KEY"] = "S3RVER",
        });
        AssertSameDecisions(local, cloud);
    }

    [SkippableFact]
    public async Task A_second_run_serves_the_first_runs_responses_from_the_cache()
    {
        var environment = new Dictionary<string, string?> { ["PRXY_DATA_DIR"] = Path.Combine(_dir, "twice") };
        var first = await RunAsync("first", environment);
        var second = await RunAsync("second", environment);

        Assert.Contains(first, d => d.Cache == "stored");
        Assert.All(second.Where(d => d.RateLimit == "allowed"), d => Assert.Equal("hit", d.Cache));
        Assert.All(second.Where(d => d.RateLimit == "allowed"), d => Assert.Equal("recalled", d.Patterns));
        Assert.Equal(first.Select(d => d.RateLimit), second.Select(d => d.RateLimit)); // rate-limit windows are per replay
    }
}
