namespace Prxy.Typed.Testing;

/// <summary>
/// Coordinates of the real services that <c>eng/test.sh</c> starts, read from the environment.
/// A missing service skips the test locally with a printed reason; under <c>CI=true</c> it fails the test.
/// </summary>
public static class TestServices
{
    /// <summary>True when running under CI, where a missing service is a failure.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Npgsql connection string of the test PostgreSQL (with pgvector).</summary>
    public static string Postgres => Require("PRXY_TEST_POSTGRES", "PostgreSQL");

    /// <summary>StackExchange.Redis configuration string of the test Redis.</summary>
    public static string Redis => Require("PRXY_TEST_REDIS", "Redis");

    /// <summary>PID of the test redis-server, for fault-injection tests.</summary>
    public static int RedisPid => int.Parse(Require("PRXY_TEST_REDIS_PID", "Redis PID"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>PID of the test PostgreSQL postmaster, for fault-injection tests.</summary>
    public static int PostgresPid => int.Parse(Require("PRXY_TEST_POSTGRES_PID", "PostgreSQL PID"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Service URL of the test S3 server.</summary>
    public static string S3Endpoint => Require("PRXY_TEST_S3_ENDPOINT", "S3 server");

    /// <summary>Bucket configured on the test S3 server.</summary>
    public static string S3Bucket => Environment.GetEnvironmentVariable("PRXY_TEST_S3_BUCKET") is { Length: > 0 } b ? b : "prxy-test";

    /// <summary>PID of the test S3 server, for fault-injection tests.</summary>
    public static int S3Pid => int.Parse(Require("PRXY_TEST_S3_PID", "S3 server PID"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Path of the sqlite-vec loadable extension (vec0.so).</summary>
    public static string SqliteVec => Require("PRXY_SQLITE_VEC", "sqlite-vec");

    /// <summary>Directory of the PostgreSQL 15 programs (initdb, pg_ctl, postgres), for tests that start a private server.</summary>
    public static string PgBin => Require("PRXY_TEST_PG_BIN", "PostgreSQL programs");

    /// <summary>Path of redis-server, for tests that start a private server.</summary>
    public static string RedisServer => Require("PRXY_TEST_REDIS_SERVER", "redis-server");

    /// <summary>Path of the s3rver launcher, for tests that start a private S3 server.</summary>
    public static string S3rver => Require("PRXY_TEST_S3RVER", "s3rver");

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago, for a private server; the OS picks it.</summary>
    public static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Returns the variable's value, or skips (locally) / fails (CI) naming what is missing.</summary>
    public static string Require(string variable, string service)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        var reason = $"{service} is not available: {variable} is not set. Run the tests through eng/test.sh, which starts the real services.";
        if (IsCi)
        {
            throw new InvalidOperationException("CI=true and " + reason);
        }

        Console.WriteLine("SKIP: " + reason);
        throw new Xunit.SkipException(reason);
    }
}
