using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Prxy.Typed.Testing;

/// <summary>
/// A private PostgreSQL server for fault-injection tests (stop, restart, freeze), started from <c>PRXY_TEST_PG_BIN</c> in its
/// own temporary data directory on a free loopback port, so killing it never affects the shared test server.
/// As root, initdb and pg_ctl run as the <c>postgres</c> user (initdb refuses root).
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly bool _asPostgresUser;

    private PrivatePostgres(string bin, string dir, int port, bool asPostgresUser)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>An Npgsql connection string for the server's <c>postgres</c> database (trust authentication).</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true";

    /// <summary>Creates a data directory and starts the server; skips (locally) or fails (CI) when PRXY_TEST_PG_BIN is unset.</summary>
    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = TestServices.Require("PRXY_TEST_PG_BIN", "PostgreSQL binaries");
        var dir = Path.Combine(Path.GetTempPath(), "prxy-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var asPostgresUser = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        var server = new PrivatePostgres(bin, dir, FreePort(), asPostgresUser);
        if (asPostgresUser)
        {
            await RunAsync("chown", ["postgres", dir]).ConfigureAwait(false);
        }

        await server.PgAsync($"{bin}/initdb -D {dir}/data -U postgres --auth=trust -E UTF8 --no-sync --no-instructions").ConfigureAwait(false);
        await server.StartAgainAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Starts the server again on the same port and data.</summary>
    public Task StartAgainAsync()
        => PgAsync($"{_bin}/pg_ctl -D {_dir}/data -l {_dir}/server.log -w -t 30 -o \"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off\" start");

    /// <summary>Stops the server at once, as a crash would (<c>pg_ctl stop -m immediate</c>).</summary>
    public Task StopAsync() => PgAsync($"{_bin}/pg_ctl -D {_dir}/data -m immediate -w stop");

    /// <summary>The PID of the postmaster, while it runs.</summary>
    public int Pid => int.Parse(File.ReadLines(Path.Combine(_dir, "data", "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>Freezes the postmaster and its backends (<c>SIGSTOP</c>): connections stay open but nothing answers.</summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>Resumes a frozen server (<c>SIGCONT</c>).</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    private Task SignalAsync(string signal)
    {
        var pid = Pid;
        var pids = new List<string> { pid.ToString(CultureInfo.InvariantCulture) };
        foreach (var stat in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
                var text = File.ReadAllText(Path.Combine(stat, "stat"));
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    pids.Add(Path.GetFileName(stat));
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process ended or is not ours to read.
            }
        }

        return RunAsync("kill", [signal, .. pids]);
    }

    /// <summary>Stops the server and deletes its data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(_dir, "data", "postmaster.pid")))
        {
            await StopAsync().ConfigureAwait(false);
        }

        Directory.Delete(_dir, recursive: true);
    }

    private Task PgAsync(string command) => _asPostgresUser ? RunAsync("su", ["postgres", "-c", command]) : RunAsync("/bin/sh", ["-c", command]);

    private static async Task RunAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', args)}' exited with {process.ExitCode}: {await stderr.ConfigureAwait(false)}{await stdout.ConfigureAwait(false)}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
