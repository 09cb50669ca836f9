using System.Diagnostics;

namespace Prxy.Typed.Benchmarks.Vectors;

/// <summary>
/// A loop for a sampling profiler: writes 10,000 × 384 vectors to a fresh SQLite file, then runs one backend's search
/// for the given seconds and prints the mean. <c>vec-probe scan|vec [seconds]</c> (needs PRXY_SQLITE_VEC for vec).
/// </summary>
public static class VectorScanProbe
{
    /// <summary>Runs the probe.</summary>
    public static async Task RunAsync(string[] args)
    {
        var mode = args.Length > 1 ? args[1] : "scan";
        var seconds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20;
        var dir = Path.Combine(Path.GetTempPath(), "prxy-vec-probe-" + Guid.NewGuid().ToString("N"));
        var file = Path.Combine(dir, "vec.db");
        var vectors = VectorData.Vectors(10_000, 384);
        var queries = VectorData.Vectors(16, 7);
        await using (var writer = await SqliteDatabase.OpenAsync(file))
        {
            await VectorData.InsertAsync(writer, vectors);
        }

        var options = new DatabaseOptions { SqliteVecPath = mode == "vec" ? Environment.GetEnvironmentVariable("PRXY_SQLITE_VEC") : null };
        await using var db = await SqliteDatabase.OpenAsync(file, options);
        Console.WriteLine($"probe {mode} ({db.VectorBackend}) for {seconds} s, pid {Environment.ProcessId}");
        var watch = Stopwatch.StartNew();
        var n = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            (await db.From<VecItem>().VectorSearchAsync(VecItem.Columns.Embedding, queries[n++ & 15], VectorData.K)).EnsureSuccess();
        }

        Console.WriteLine($"{n} searches, mean {watch.Elapsed.TotalMilliseconds / n:F2} ms");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
    }
}
